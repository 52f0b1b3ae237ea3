using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary><see cref="LoadBalancingPolicies.WeightedRandom"/>: a random candidate, each in proportion to its <see cref="InstanceEndpoint.Weight"/>.</summary>
internal sealed class WeightedRandomPolicy(IRandomFactory randomFactory) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.WeightedRandom;

    public InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state)
    {
        if (endpoints.IsEmpty)
            return null;
        long total = 0;
        foreach (var e in endpoints)
            total += e.Weight;
        var point = randomFactory.CreateRandomInstance().NextInt64(total);
        foreach (var e in endpoints)
        {
            point -= e.Weight;
            if (point < 0)
                return e;
        }
        return endpoints[^1];
    }
}

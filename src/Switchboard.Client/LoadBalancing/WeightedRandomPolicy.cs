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
        Candidates.Count(endpoints, out var panic);
        long total = 0;
        foreach (var e in endpoints)
        {
            if (Candidates.Is(e, panic))
                total += e.Weight;
        }
        var point = randomFactory.CreateRandomInstance().NextInt64(total);
        InstanceEndpoint? last = null;
        foreach (var e in endpoints)
        {
            if (!Candidates.Is(e, panic))
                continue;
            last = e;
            point -= e.Weight;
            if (point < 0)
                return e;
        }
        return last ?? endpoints[^1];
    }
}

using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary><see cref="LoadBalancingPolicies.Random"/>: a uniformly random candidate.</summary>
internal sealed class RandomPolicy(IRandomFactory randomFactory) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.Random;

    public InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state)
    {
        if (endpoints.IsEmpty)
            return null;
        var count = Candidates.Count(endpoints, out var panic);
        return Candidates.Nth(endpoints, randomFactory.CreateRandomInstance().Next(count), panic);
    }
}

using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary><see cref="LoadBalancingPolicies.RoundRobin"/>: candidates in turn, by a per-service counter.</summary>
internal sealed class RoundRobinPolicy : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.RoundRobin;

    public InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state)
    {
        if (endpoints.IsEmpty)
            return null;
        var count = Candidates.Count(endpoints, out var panic);
        return Candidates.Nth(endpoints, (int)(state.Next() % (uint)count), panic);
    }
}

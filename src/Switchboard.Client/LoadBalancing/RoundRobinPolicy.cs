using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary><see cref="LoadBalancingPolicies.RoundRobin"/>: candidates in turn, by a per-service counter.</summary>
internal sealed class RoundRobinPolicy : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.RoundRobin;

    public InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state) =>
        endpoints.IsEmpty ? null : endpoints[(int)(state.Next() % (uint)endpoints.Length)];
}

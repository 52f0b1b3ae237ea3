using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary><see cref="LoadBalancingPolicies.FirstAvailable"/>: the first candidate in catalog order (active/passive failover).</summary>
internal sealed class FirstAvailablePolicy : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.FirstAvailable;

    public InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state) =>
        endpoints.IsEmpty ? null : endpoints[0];
}

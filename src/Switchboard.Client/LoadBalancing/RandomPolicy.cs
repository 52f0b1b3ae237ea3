using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary><see cref="LoadBalancingPolicies.Random"/>: a uniformly random candidate.</summary>
internal sealed class RandomPolicy(IRandomFactory randomFactory) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.Random;

    public InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state) =>
        endpoints.IsEmpty ? null : endpoints[randomFactory.CreateRandomInstance().Next(endpoints.Length)];
}

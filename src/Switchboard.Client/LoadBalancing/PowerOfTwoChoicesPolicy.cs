using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary>
/// <see cref="LoadBalancingPolicies.PowerOfTwoChoices"/> (the default): two distinct random candidates, the one with
/// fewer requests in flight. Nearly as even as least-connections, without its herd on the one idle instance.
/// </summary>
internal sealed class PowerOfTwoChoicesPolicy(IRandomFactory randomFactory) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.PowerOfTwoChoices;

    public InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state)
    {
        if (endpoints.Length <= 1)
            return endpoints.IsEmpty ? null : endpoints[0];
        var random = randomFactory.CreateRandomInstance();
        var a = random.Next(endpoints.Length);
        var b = random.Next(endpoints.Length - 1);
        if (b >= a)
            b++;
        var (first, second) = (endpoints[a], endpoints[b]);
        return second.InFlight < first.InFlight ? second : first;
    }
}

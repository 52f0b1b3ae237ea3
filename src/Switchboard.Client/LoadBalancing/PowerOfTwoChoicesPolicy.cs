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
        if (endpoints.IsEmpty)
            return null;
        var count = Candidates.Count(endpoints, out var panic);
        if (count == 1)
            return Candidates.Nth(endpoints, 0, panic);
        var random = randomFactory.CreateRandomInstance();
        var a = random.Next(count);
        var b = random.Next(count - 1);
        if (b >= a)
            b++;
        var first = Candidates.Nth(endpoints, a, panic);
        var second = Candidates.Nth(endpoints, b, panic);
        return second.InFlight < first.InFlight ? second : first;
    }
}

using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary>
/// <see cref="LoadBalancingPolicies.LeastConnections"/>: the candidate with the fewest requests in flight.
/// The scan starts at a rotating offset so that ties (for example all idle) are spread in turn, not all sent to the first instance.
/// </summary>
internal sealed class LeastConnectionsPolicy : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.LeastConnections;

    public InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state)
    {
        if (endpoints.IsEmpty)
            return null;
        var start = (int)(state.Next() % (uint)endpoints.Length);
        var best = endpoints[start];
        var bestLoad = best.InFlight;
        for (var i = 1; i < endpoints.Length && bestLoad > 0; i++)
        {
            var e = endpoints[(start + i) % endpoints.Length];
            var load = e.InFlight;
            if (load < bestLoad)
            {
                best = e;
                bestLoad = load;
            }
        }
        return best;
    }
}

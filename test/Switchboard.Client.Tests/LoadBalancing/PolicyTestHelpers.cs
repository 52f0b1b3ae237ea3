using Switchboard.Client.Endpoints;
using Switchboard.Client.LoadBalancing;

namespace Switchboard.Client.Tests.LoadBalancing;

internal static class PolicyTestHelpers
{
    public static Dictionary<string, int> Distribution(ILoadBalancingPolicy policy, InstanceEndpoint[] endpoints, int picks)
    {
        var state = new LoadBalancingState();
        var counts = endpoints.ToDictionary(e => e.InstanceId, _ => 0);
        for (var i = 0; i < picks; i++)
            counts[PickCandidate(policy, endpoints, state)!.InstanceId]++;
        return counts;
    }

    /// <summary>A pick as the client makes it: the policy over the candidates (ejected instances left out unless all are).</summary>
    public static InstanceEndpoint? PickCandidate(ILoadBalancingPolicy policy, InstanceEndpoint[] endpoints, LoadBalancingState state)
    {
        var buffer = default(Candidates.Buffer);
        return policy.Pick(Candidates.Select(endpoints, null, buffer, out _), state);
    }

    public static void AssertShare(Dictionary<string, int> counts, string id, double expected, int total, double tolerance = 0.02)
    {
        var actual = counts[id] / (double)total;
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{id}: expected share {expected:P1} +/- {tolerance:P1}, got {actual:P1} ({counts[id]} of {total}).");
    }
}

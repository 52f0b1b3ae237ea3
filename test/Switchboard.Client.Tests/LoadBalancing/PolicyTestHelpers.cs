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
            counts[policy.Pick(endpoints, state)!.InstanceId]++;
        return counts;
    }

    public static void AssertShare(Dictionary<string, int> counts, string id, double expected, int total, double tolerance = 0.02)
    {
        var actual = counts[id] / (double)total;
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{id}: expected share {expected:P1} +/- {tolerance:P1}, got {actual:P1} ({counts[id]} of {total}).");
    }
}

using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.LoadBalancing;

public sealed class WeightedRandomPolicyTests
{
    [Fact]
    public void Pick_Weights127_SharesFollowWeights()
    {
        var policy = new WeightedRandomPolicy(new FixedRandomFactory(new Random(99)));
        var endpoints = TestEndpoints.Create(3, 1, 2, 7);
        var counts = PolicyTestHelpers.Distribution(policy, endpoints, 50_000);
        PolicyTestHelpers.AssertShare(counts, "svc-0", 0.1, 50_000);
        PolicyTestHelpers.AssertShare(counts, "svc-1", 0.2, 50_000);
        PolicyTestHelpers.AssertShare(counts, "svc-2", 0.7, 50_000);
    }

    [Fact]
    public void Pick_ScriptedPoint_MapsToWeightInterval()
    {
        // Weights 1,2,7: points 0 -> svc-0, 1..2 -> svc-1, 3..9 -> svc-2.
        var policy = new WeightedRandomPolicy(new FixedRandomFactory(new ScriptedRandom(0, 1, 2, 3, 9)));
        var endpoints = TestEndpoints.Create(3, 1, 2, 7);
        var state = new LoadBalancingState();
        var picked = Enumerable.Range(0, 5).Select(_ => PolicyTestHelpers.PickCandidate(policy, endpoints, state)!.InstanceId).ToArray();
        Assert.Equal(["svc-0", "svc-1", "svc-1", "svc-2", "svc-2"], picked);
    }

    [Fact]
    public void Pick_HeavyEndpointEjected_NeverPicked()
    {
        var policy = new WeightedRandomPolicy(new FixedRandomFactory(new Random(7)));
        var endpoints = TestEndpoints.Create(3, 1, 1, 100);
        endpoints[2].SetEjected(true);
        var counts = PolicyTestHelpers.Distribution(policy, endpoints, 10_000);
        Assert.Equal(0, counts["svc-2"]);
        PolicyTestHelpers.AssertShare(counts, "svc-0", 0.5, 10_000, 0.03);
    }

    [Fact]
    public void Pick_AllEjected_PanicModeKeepsWeights()
    {
        var policy = new WeightedRandomPolicy(new FixedRandomFactory(new Random(5)));
        var endpoints = TestEndpoints.Create(2, 1, 3);
        foreach (var e in endpoints)
            e.SetEjected(true);
        var counts = PolicyTestHelpers.Distribution(policy, endpoints, 20_000);
        PolicyTestHelpers.AssertShare(counts, "svc-1", 0.75, 20_000);
    }
}

using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.LoadBalancing;

public sealed class RandomPolicyTests
{
    [Fact]
    public void Pick_SeededRandom_SpreadsEvenly()
    {
        var policy = new RandomPolicy(new FixedRandomFactory(new Random(1234)));
        var endpoints = TestEndpoints.Create(4);
        var counts = PolicyTestHelpers.Distribution(policy, endpoints, 40_000);
        foreach (var id in counts.Keys)
            PolicyTestHelpers.AssertShare(counts, id, 0.25, 40_000);
    }

    [Fact]
    public void Pick_ScriptedRandom_TakesNthCandidateSkippingEjected()
    {
        var policy = new RandomPolicy(new FixedRandomFactory(new ScriptedRandom(1)));
        var endpoints = TestEndpoints.Create(3);
        endpoints[0].SetEjected(true);
        Assert.Equal("svc-2", PolicyTestHelpers.PickCandidate(policy, endpoints, new LoadBalancingState())!.InstanceId);
    }

    [Fact]
    public void Pick_AllEjected_PanicModeUsesAll()
    {
        var policy = new RandomPolicy(new FixedRandomFactory(new ScriptedRandom(0, 1, 2)));
        var endpoints = TestEndpoints.Create(3);
        foreach (var e in endpoints)
            e.SetEjected(true);
        var state = new LoadBalancingState();
        var picked = Enumerable.Range(0, 3).Select(_ => PolicyTestHelpers.PickCandidate(policy, endpoints, state)!.InstanceId).ToArray();
        Assert.Equal(["svc-0", "svc-1", "svc-2"], picked);
    }

    [Fact]
    public void Pick_Empty_ReturnsNull() =>
        Assert.Null(new RandomPolicy(new FixedRandomFactory(new Random(1))).Pick([], new LoadBalancingState()));
}

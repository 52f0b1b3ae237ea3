using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.LoadBalancing;

public sealed class PowerOfTwoChoicesPolicyTests
{
    [Fact]
    public void Pick_TwoChoices_TakesTheLessLoaded()
    {
        // First draw 0 (svc-0), second draw 1 of the remaining 2 -> index 2 (svc-2).
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandomFactory(new ScriptedRandom(0, 1)));
        var endpoints = TestEndpoints.Create(3);
        endpoints[0].BeginRequest();
        Assert.Equal("svc-2", PolicyTestHelpers.PickCandidate(policy, endpoints, new LoadBalancingState())!.InstanceId);
    }

    [Fact]
    public void Pick_Tie_TakesTheFirstChoice()
    {
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandomFactory(new ScriptedRandom(2, 0)));
        Assert.Equal("svc-2", policy.Pick(TestEndpoints.Create(3), new LoadBalancingState())!.InstanceId);
    }

    [Fact]
    public void Pick_SeededIdle_SpreadsEvenly()
    {
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandomFactory(new Random(42)));
        var counts = PolicyTestHelpers.Distribution(policy, TestEndpoints.Create(4), 40_000);
        foreach (var id in counts.Keys)
            PolicyTestHelpers.AssertShare(counts, id, 0.25, 40_000);
    }

    [Fact]
    public void Pick_OneLoaded_NeverChosenWhileOthersIdle()
    {
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandomFactory(new Random(3)));
        var endpoints = TestEndpoints.Create(3);
        endpoints[1].BeginRequest();
        var counts = PolicyTestHelpers.Distribution(policy, endpoints, 1000);
        Assert.Equal(0, counts["svc-1"]);
    }

    [Fact]
    public void Pick_EjectedEndpoint_NeverChosen()
    {
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandomFactory(new Random(11)));
        var endpoints = TestEndpoints.Create(3);
        endpoints[2].SetEjected(true);
        var counts = PolicyTestHelpers.Distribution(policy, endpoints, 2000);
        Assert.Equal(0, counts["svc-2"]);
        Assert.True(counts["svc-0"] > 800 && counts["svc-1"] > 800);
    }

    [Fact]
    public void Pick_OnlyOneCandidate_ReturnsItWithoutRandomness()
    {
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandomFactory(new ScriptedRandom(5)));
        var endpoints = TestEndpoints.Create(2);
        endpoints[0].SetEjected(true);
        Assert.Equal("svc-1", PolicyTestHelpers.PickCandidate(policy, endpoints, new LoadBalancingState())!.InstanceId);
    }

    [Fact]
    public void Pick_AllEjected_PanicModeUsesAll()
    {
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandomFactory(new Random(8)));
        var endpoints = TestEndpoints.Create(3);
        foreach (var e in endpoints)
            e.SetEjected(true);
        var counts = PolicyTestHelpers.Distribution(policy, endpoints, 3000);
        Assert.All(counts.Values, c => Assert.True(c > 800, $"each instance should get about a third in panic mode, got {c}"));
    }
}

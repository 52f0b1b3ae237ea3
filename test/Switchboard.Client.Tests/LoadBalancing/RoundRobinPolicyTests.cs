using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.LoadBalancing;

public sealed class RoundRobinPolicyTests
{
    private readonly RoundRobinPolicy _policy = new();

    [Fact]
    public void Pick_ThreeEndpoints_CyclesInOrder()
    {
        var endpoints = TestEndpoints.Create(3);
        var state = new LoadBalancingState();
        var picked = Enumerable.Range(0, 6).Select(_ => PolicyTestHelpers.PickCandidate(_policy, endpoints, state)!.InstanceId).ToArray();
        Assert.Equal(["svc-0", "svc-1", "svc-2", "svc-0", "svc-1", "svc-2"], picked);
    }

    [Fact]
    public void Pick_EjectedEndpoint_IsSkipped()
    {
        var endpoints = TestEndpoints.Create(3);
        endpoints[1].SetEjected(true);
        var counts = PolicyTestHelpers.Distribution(_policy, endpoints, 100);
        Assert.Equal(0, counts["svc-1"]);
        Assert.Equal(50, counts["svc-0"]);
        Assert.Equal(50, counts["svc-2"]);
    }

    [Fact]
    public void Pick_AllEjected_PanicModeUsesAll()
    {
        var endpoints = TestEndpoints.Create(3);
        foreach (var e in endpoints)
            e.SetEjected(true);
        var counts = PolicyTestHelpers.Distribution(_policy, endpoints, 99);
        Assert.All(counts.Values, c => Assert.Equal(33, c));
    }

    [Fact]
    public void Pick_Empty_ReturnsNull() => Assert.Null(_policy.Pick([], new LoadBalancingState()));

    [Fact]
    public void Pick_SeparateStates_CountIndependently()
    {
        var endpoints = TestEndpoints.Create(2);
        var a = new LoadBalancingState();
        var b = new LoadBalancingState();
        Assert.Equal("svc-0", PolicyTestHelpers.PickCandidate(_policy, endpoints, a)!.InstanceId);
        Assert.Equal("svc-0", PolicyTestHelpers.PickCandidate(_policy, endpoints, b)!.InstanceId);
        Assert.Equal("svc-1", PolicyTestHelpers.PickCandidate(_policy, endpoints, a)!.InstanceId);
    }
}

using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.LoadBalancing;

public sealed class FirstAvailablePolicyTests
{
    private readonly FirstAvailablePolicy _policy = new();

    [Fact]
    public void Pick_NoneEjected_ReturnsFirst() =>
        Assert.Equal("svc-0", _policy.Pick(TestEndpoints.Create(3), new LoadBalancingState())!.InstanceId);

    [Fact]
    public void Pick_FirstEjected_FailsOverToSecond()
    {
        var endpoints = TestEndpoints.Create(3);
        endpoints[0].SetEjected(true);
        Assert.Equal("svc-1", PolicyTestHelpers.PickCandidate(_policy, endpoints, new LoadBalancingState())!.InstanceId);
        endpoints[0].SetEjected(false);
        Assert.Equal("svc-0", PolicyTestHelpers.PickCandidate(_policy, endpoints, new LoadBalancingState())!.InstanceId);
    }

    [Fact]
    public void Pick_AllEjected_PanicReturnsFirst()
    {
        var endpoints = TestEndpoints.Create(2);
        foreach (var e in endpoints)
            e.SetEjected(true);
        Assert.Equal("svc-0", PolicyTestHelpers.PickCandidate(_policy, endpoints, new LoadBalancingState())!.InstanceId);
    }
}

using Switchboard.Client.Endpoints;
using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.LoadBalancing;

public sealed class LeastConnectionsPolicyTests
{
    private readonly LeastConnectionsPolicy _policy = new();

    [Fact]
    public void Pick_UnequalLoad_ChoosesFewestInFlight()
    {
        var endpoints = TestEndpoints.Create(3);
        var scopes = new List<InFlightScope> { endpoints[0].BeginRequest(), endpoints[0].BeginRequest(), endpoints[2].BeginRequest() };
        Assert.Equal("svc-1", PolicyTestHelpers.PickCandidate(_policy, endpoints, new LoadBalancingState())!.InstanceId);
        scopes.ForEach(s => s.Dispose());
        Assert.All(endpoints, e => Assert.Equal(0, e.InFlight));
    }

    [Fact]
    public void Pick_AllIdle_SpreadsTies()
    {
        var counts = PolicyTestHelpers.Distribution(_policy, TestEndpoints.Create(3), 300);
        Assert.All(counts.Values, c => Assert.Equal(100, c));
    }

    [Fact]
    public void Pick_HoldingEachPick_BalancesInFlight()
    {
        var endpoints = TestEndpoints.Create(3);
        var state = new LoadBalancingState();
        for (var i = 0; i < 30; i++)
            PolicyTestHelpers.PickCandidate(_policy, endpoints, state)!.BeginRequest();
        Assert.All(endpoints, e => Assert.Equal(10, e.InFlight));
    }

    [Fact]
    public void Pick_IdleEndpointEjected_ChoosesLeastLoadedOther()
    {
        var endpoints = TestEndpoints.Create(3);
        endpoints[0].SetEjected(true);
        endpoints[1].BeginRequest();
        Assert.Equal("svc-2", PolicyTestHelpers.PickCandidate(_policy, endpoints, new LoadBalancingState())!.InstanceId);
    }

    [Fact]
    public void Pick_AllEjected_PanicChoosesLeastLoaded()
    {
        var endpoints = TestEndpoints.Create(2);
        foreach (var e in endpoints)
            e.SetEjected(true);
        endpoints[0].BeginRequest();
        Assert.Equal("svc-1", PolicyTestHelpers.PickCandidate(_policy, endpoints, new LoadBalancingState())!.InstanceId);
    }
}

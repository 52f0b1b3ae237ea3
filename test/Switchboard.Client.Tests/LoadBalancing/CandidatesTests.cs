using Switchboard.Client.Endpoints;
using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.LoadBalancing;

public sealed class CandidatesTests
{
    private static string[] Ids(ReadOnlySpan<InstanceEndpoint> span) => [.. span.ToArray().Select(e => e.InstanceId)];

    [Fact]
    public void Select_NothingExcluded_IsTheHealthyInstancesThemselves()
    {
        var endpoints = TestEndpoints.Create(3);
        var buffer = default(Candidates.Buffer);
        var selected = Candidates.Select(endpoints, null, buffer, out var panic);
        Assert.False(panic);
        Assert.True(selected == endpoints.AsSpan());
    }

    [Fact]
    public void Select_OneEjected_LeavesItOut()
    {
        var endpoints = TestEndpoints.Create(3);
        endpoints[1].SetEjected(true);
        var buffer = default(Candidates.Buffer);
        Assert.Equal(["svc-0", "svc-2"], Ids(Candidates.Select(endpoints, null, buffer, out var panic)));
        Assert.False(panic);
    }

    [Fact]
    public void Select_AllEjected_PanicWithAll()
    {
        var endpoints = TestEndpoints.Create(3);
        foreach (var e in endpoints)
            e.SetEjected(true);
        var buffer = default(Candidates.Buffer);
        Assert.Equal(["svc-0", "svc-1", "svc-2"], Ids(Candidates.Select(endpoints, null, buffer, out var panic)));
        Assert.True(panic);
    }

    [Fact]
    public void Select_Tried_LeavesThemOutThenEjected()
    {
        var endpoints = TestEndpoints.Create(4);
        endpoints[3].SetEjected(true);
        var buffer = default(Candidates.Buffer);
        Assert.Equal(["svc-1", "svc-2"], Ids(Candidates.Select(endpoints, [endpoints[0]], buffer, out var panic)));
        Assert.False(panic);
    }

    [Fact]
    public void Select_AllUntriedEjected_PanicAmongUntriedOnly()
    {
        var endpoints = TestEndpoints.Create(3);
        endpoints[1].SetEjected(true);
        endpoints[2].SetEjected(true);
        var buffer = default(Candidates.Buffer);
        Assert.Equal(["svc-1", "svc-2"], Ids(Candidates.Select(endpoints, [endpoints[0]], buffer, out var panic)));
        Assert.True(panic);
    }

    [Fact]
    public void Select_AllTried_StartsOverWithAll()
    {
        var endpoints = TestEndpoints.Create(2);
        var buffer = default(Candidates.Buffer);
        Assert.Equal(["svc-0", "svc-1"], Ids(Candidates.Select(endpoints, [.. endpoints], buffer, out var panic)));
        Assert.False(panic);
    }

    [Fact]
    public void Select_MoreThanTheStackHolds_StillLeavesOutEjected()
    {
        var endpoints = TestEndpoints.Create(Candidates.StackCapacity + 4);
        endpoints[0].SetEjected(true);
        var buffer = default(Candidates.Buffer);
        var selected = Candidates.Select(endpoints, [endpoints[1]], buffer, out var panic);
        Assert.Equal(endpoints.Length - 2, selected.Length);
        Assert.DoesNotContain("svc-0", Ids(selected));
        Assert.DoesNotContain("svc-1", Ids(selected));
        Assert.False(panic);
    }

    [Fact]
    public void Select_Empty_IsEmpty()
    {
        var buffer = default(Candidates.Buffer);
        Assert.True(Candidates.Select([], null, buffer, out var panic).IsEmpty);
        Assert.False(panic);
    }
}

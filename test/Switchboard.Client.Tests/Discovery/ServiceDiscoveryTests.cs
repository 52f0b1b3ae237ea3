using Switchboard.Client.Discovery;
using Switchboard.Client.Tests.TestSupport;
using Switchboard.Instances;

namespace Switchboard.Client.Tests.Discovery;

public sealed class ServiceDiscoveryTests
{
    private static ServiceInstance Inst(int i, HealthStatus status = HealthStatus.Passing) => TestEndpoints.Instance("gis-service", i, status: status);

    [Fact]
    public async Task Resolve_RegistryHasInstances_ReturnsThemAndStartsBlockingWatch()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(5, Inst(0), Inst(1));
        var result = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);

        Assert.Equal(DiscoverySource.Registry, result.Source);
        Assert.Equal(2, result.HealthyEndpoints.Length);
        Assert.Equal(5, result.Index);
        Assert.False(result.IsStale);
        Assert.Equal(-1, await h.Registry.NextCallAsync());
        Assert.Equal(5, await h.Registry.NextCallAsync());
    }

    [Fact]
    public async Task Resolve_Cached_AnswersWithoutCallingRegistry()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(5, Inst(0));
        var first = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        var second = h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Same(first, await second);
    }

    [Fact]
    public async Task Watch_InstanceAdded_UpdatesCacheKeepingEndpointObjectsAndRaisesAppeared()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(5, Inst(0));
        var before = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        var changed = h.NextChangeAsync();
        h.Registry.Answer(6, Inst(0), Inst(1));

        var change = await changed;
        Assert.Equal(ServiceHealthChangeKind.Appeared, change.Kind);
        Assert.Equal("gis-service-1", change.Instance.InstanceId);
        var after = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.Equal(2, after.Endpoints.Length);
        Assert.Same(before.Endpoints[0], after.Endpoints[0]);
        Assert.Same(before.LoadBalancing, after.LoadBalancing);
    }

    [Fact]
    public async Task Watch_InstanceTurnsCritical_RaisesUnhealthyAndLeavesHealthySet()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(5, Inst(0), Inst(1));
        await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        var changed = h.NextChangeAsync();
        h.Registry.Answer(6, Inst(0), Inst(1, HealthStatus.Critical));

        var change = await changed;
        Assert.Equal(ServiceHealthChangeKind.BecameUnhealthy, change.Kind);
        Assert.False(change.IsHealthy);
        var result = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.Equal(["gis-service-0"], result.HealthyEndpoints.Select(e => e.InstanceId));
        Assert.Equal(2, result.Endpoints.Length);
    }

    [Fact]
    public async Task Watch_InstanceRemoved_RaisesDisappeared()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(5, Inst(0), Inst(1));
        await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        var changed = h.NextChangeAsync();
        h.Registry.Answer(6, Inst(0));
        var change = await changed;
        Assert.Equal(ServiceHealthChangeKind.Disappeared, change.Kind);
        Assert.Equal("gis-service-1", change.Instance.InstanceId);
    }

    [Fact]
    public async Task Resolve_RegistryFailsAfterAnswer_ServesStaleCacheThenRecovers()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(5, Inst(0));
        var fresh = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        h.Registry.Fail("connection refused");

        var backoff = await h.Time.NextTimerAsync();
        var stale = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.True(stale.IsStale);
        Assert.Contains("connection refused", stale.StaleReason, StringComparison.Ordinal);
        Assert.Equal(h.Time.GetUtcNow(), stale.StaleSince);
        Assert.Same(fresh.Endpoints[0], stale.Endpoints[0]);
        Assert.InRange(backoff, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));

        Assert.Equal(-1, await h.Registry.NextCallAsync());
        Assert.Equal(5, await h.Registry.NextCallAsync());
        var token = h.Discovery.GetChangeToken("gis-service");
        h.Registry.Answer(5, Inst(0));
        h.Time.Advance(backoff);

        Assert.Equal(-1, await h.Registry.NextCallAsync());
        Assert.Equal(5, await h.Registry.NextCallAsync());
        Assert.True(token.HasChanged);
        Assert.False((await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken)).IsStale);
    }

    [Fact]
    public async Task Watch_RepeatedFailures_BackOffExponentiallyUpToMax()
    {
        await using var h = new DiscoveryHarness(new() { ["Switchboard:Discovery:RetryMaxDelay"] = "00:00:08" });
        h.Registry.Answer(5, Inst(0));
        await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            h.Registry.Fail();
            delays.Add(await h.Time.AdvanceToNextTimerAsync());
        }
        for (var i = 0; i < delays.Count; i++)
        {
            var cap = Math.Min(8, Math.Pow(2, i));
            Assert.InRange(delays[i].TotalSeconds, cap / 2, cap);
        }
    }

    [Fact]
    public async Task Resolve_RegistryDownNoCache_FallsBackToStatic()
    {
        await using var h = new DiscoveryHarness(new() { ["Switchboard:Static:gis-service"] = "http://localhost:3007/api" });
        h.Registry.Fail("connection refused");
        var result = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.Equal(DiscoverySource.Static, result.Source);
        Assert.Equal(new Uri("http://localhost:3007/api/"), result.HealthyEndpoints.Single().BaseUri);
        Assert.Contains(result.SourcesTried, s => s.Contains("connection refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_RegistryKnowsNoInstance_FallsBackToStaticThenSwitchesWhenOneRegisters()
    {
        await using var h = new DiscoveryHarness(new() { ["Switchboard:Static:gis-service"] = "http://localhost:3007" });
        h.Registry.Answer(3);
        var result = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.Equal(DiscoverySource.Static, result.Source);

        var changed = h.NextChangeAsync(c => c.Kind == ServiceHealthChangeKind.Appeared);
        h.Registry.Answer(4, Inst(0));
        await changed;
        result = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.Equal(DiscoverySource.Registry, result.Source);
        Assert.Equal("gis-service-0", result.Endpoints.Single().InstanceId);
    }

    [Fact]
    public async Task Resolve_UnknownEverywhere_ThrowsNamingEachSource()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(3);
        var ex = await Assert.ThrowsAsync<ServiceNotFoundException>(() => h.Discovery.ResolveAsync("nope-service", TestContext.Current.CancellationToken).AsTask());
        Assert.Equal("nope-service", ex.ServiceName);
        Assert.Contains("'nope-service'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("registry", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Static:nope-service", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DNS: disabled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_NoRegistryConfigured_UsesStaticOnly()
    {
        await using var h = new DiscoveryHarness(new() { ["Switchboard:Static:ros-service"] = "http://localhost:3047;http://localhost:3048" }, withRegistry: false);
        var result = await h.Discovery.ResolveAsync("ros-service", TestContext.Current.CancellationToken);
        Assert.Equal(DiscoverySource.Static, result.Source);
        Assert.Equal([3047, 3048], result.Endpoints.Select(e => e.Instance.Port));
        Assert.Empty(h.Registry.IndexesAsked);
    }

    [Fact]
    public async Task Resolve_DnsEnabledForLocalhost_ResolvesLoopbackWithConfiguredPort()
    {
        await using var h = new DiscoveryHarness(new() { ["Switchboard:Dns:Enabled"] = "true", ["Switchboard:Dns:Port"] = "8200" }, withRegistry: false);
        var result = await h.Discovery.ResolveAsync("localhost", TestContext.Current.CancellationToken);
        Assert.Equal(DiscoverySource.Dns, result.Source);
        Assert.All(result.Endpoints, e => Assert.True(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(e.Instance.Host))));
        Assert.All(result.Endpoints, e => Assert.Equal(8200, e.Instance.Port));
    }

    [Fact]
    public async Task Watch_IndexGoesBackwards_ReloadsAndWatchesFromNewIndex()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(10, Inst(0));
        await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.Equal(-1, await h.Registry.NextCallAsync());
        Assert.Equal(10, await h.Registry.NextCallAsync());
        var changed = h.NextChangeAsync();
        h.Registry.Answer(2, Inst(1));
        await changed;
        Assert.Equal(2, await h.Registry.NextCallAsync());
        var result = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.Equal("gis-service-1", result.Endpoints.Single().InstanceId);
    }

    [Fact]
    public async Task Watch_RegistryRestartsEmpty_ServesLastInstancesStaleDuringGrace()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(10, Inst(0));
        await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.Equal(-1, await h.Registry.NextCallAsync());
        Assert.Equal(10, await h.Registry.NextCallAsync());

        h.Registry.Answer(0);
        await h.Time.NextTimerAsync();
        var during = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.True(during.IsStale);
        Assert.Contains("restarted", during.StaleReason, StringComparison.Ordinal);
        Assert.Equal("gis-service-0", during.HealthyEndpoints.Single().InstanceId);

        var token = h.Discovery.GetChangeToken("gis-service");
        h.Registry.Answer(1, Inst(0) with { Port = 9999 });
        h.Time.Advance(ServiceWatcherThrottle);
        Assert.Equal(0, await h.Registry.NextCallAsync());
        Assert.Equal(1, await h.Registry.NextCallAsync());
        Assert.True(token.HasChanged);
        var after = await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        Assert.False(after.IsStale);
        Assert.Equal(9999, after.HealthyEndpoints.Single().Instance.Port);
    }

    private static readonly TimeSpan ServiceWatcherThrottle = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Watch_RegistryRestartsEmptyAndGraceEnds_DropsInstances()
    {
        await using var h = new DiscoveryHarness(new() { ["Switchboard:Discovery:RestartGrace"] = "00:00:05" });
        h.Registry.Answer(10, Inst(0));
        await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        h.Registry.Answer(0);
        await h.Time.NextTimerAsync();
        h.Time.Advance(TimeSpan.FromSeconds(6));
        var disappeared = h.NextChangeAsync(c => c.Kind == ServiceHealthChangeKind.Disappeared);
        h.Registry.Answer(0);
        await disappeared;
        await Assert.ThrowsAsync<ServiceNotFoundException>(() => h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task Watch_UnchangedAnswerComesBackAtOnce_ThrottlesNextQuery()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(5, Inst(0));
        await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        h.Registry.Answer(5, Inst(0));
        Assert.Equal(TimeSpan.FromSeconds(1), await h.Time.NextTimerAsync());
    }

    [Fact]
    public async Task GetInstances_Query_FiltersByTagVersionMetadataAndHealth()
    {
        await using var h = new DiscoveryHarness();
        h.Registry.Answer(5,
            Inst(0) with { Tags = ["api", "eu"], Version = "2.0", Metadata = new Dictionary<string, string> { ["region"] = "eu" } },
            Inst(1) with { Tags = ["api"], Version = "1.0" },
            Inst(2, HealthStatus.Critical) with { Tags = ["api", "eu"], Version = "2.0", Metadata = new Dictionary<string, string> { ["region"] = "eu" } });
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(2, (await h.Discovery.GetInstancesAsync("gis-service", cancellationToken: ct)).Count);
        Assert.Equal(3, (await h.Discovery.GetInstancesAsync("gis-service", InstanceQuery.All, ct)).Count);
        var v2 = await h.Discovery.GetInstancesAsync("gis-service", new InstanceQuery { Version = "2.0" }, ct);
        Assert.Equal("gis-service-0", v2.Single().InstanceId);
        var eu = await h.Discovery.GetInstancesAsync("gis-service", new InstanceQuery { HealthyOnly = false, Tags = ["eu"], Metadata = new Dictionary<string, string> { ["region"] = "eu" } }, ct);
        Assert.Equal(["gis-service-0", "gis-service-2"], eu.Select(i => i.InstanceId));
    }

    [Fact]
    public async Task Resolve_InvalidName_ThrowsNamingTheProblem()
    {
        await using var h = new DiscoveryHarness();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => h.Discovery.ResolveAsync("GIS Service", TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("'GIS Service' is not a valid service name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthChanged_HandlerThrows_WatchKeepsWorking()
    {
        await using var h = new DiscoveryHarness();
        h.Discovery.HealthChanged += (_, _) => throw new InvalidOperationException("bad handler");
        h.Registry.Answer(5, Inst(0));
        await h.Discovery.ResolveAsync("gis-service", TestContext.Current.CancellationToken);
        var changed = h.NextChangeAsync();
        h.Registry.Answer(6, Inst(0), Inst(1));
        Assert.Equal(ServiceHealthChangeKind.Appeared, (await changed).Kind);
    }
}

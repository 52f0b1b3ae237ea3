using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Expiry and checks run on the leader only, against cluster-wide deadlines.</summary>
public sealed class LeadershipTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(RedisNode.Epoch);
    private readonly string _ns = "t" + Guid.NewGuid().ToString("N")[..8];
    private RedisServer _redis = null!;
    private RedisNode _a = null!;
    private RedisNode _b = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _a = await RedisNode.StartAsync(_redis.ConnectionString, _time, "a", _ns);
        await _a.Store.TickAsync(Ct); // a takes the lease first
        _b = await RedisNode.StartAsync(_redis.ConnectionString, _time, "b", _ns);
        await _b.Store.TickAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_b is not null)
            await _b.DisposeAsync();
        if (_a is not null)
            await _a.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneNodeLeads_AndTheOtherTakesOverWhenItStops()
    {
        Assert.True(_a.Store.RunsDeadlines);
        Assert.False(_b.Store.RunsDeadlines);
        Assert.Equal("a", _b.Store.Leader);

        await _a.DisposeAsync();
        await _b.Store.TickAsync(Ct);

        Assert.True(_b.Store.RunsDeadlines);
        Assert.Equal("b", _b.Store.Leader);
    }

    [Fact]
    public async Task LeaderThatStopsRenewing_LosesTheRightToRunDeadlinesBeforeItsLeaseEnds()
    {
        Assert.True(_a.Store.RunsDeadlines);

        _time.Advance(TimeSpan.FromSeconds(3)); // no tick: the local right lapses before the lease in Redis would

        Assert.False(_a.Store.RunsDeadlines);
        Assert.Equal(0, await _a.Catalog.SweepAsync(Ct));
    }

    [Fact]
    public async Task Sweep_OnTheNonLeader_ExpiresNothing()
    {
        await _b.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", ttl: TimeSpan.FromSeconds(10)), Ct);
        _time.Advance(TimeSpan.FromSeconds(11));
        await _b.Store.TickAsync(Ct);

        Assert.Equal(0, await _b.Catalog.SweepAsync(Ct));
        Assert.NotNull(_b.Catalog.GetInstance("orders-1"));
    }

    [Fact]
    public async Task Sweep_OnTheLeader_KeepsALeaseRenewedOnTheOtherNode_AndExpiresItWhenHeartbeatsStop()
    {
        await _b.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", ttl: TimeSpan.FromSeconds(10)), Ct);
        await Eventually.TrueAsync(() => _a.Catalog.GetInstance("orders-1") is not null, "a sees orders-1");

        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(6));
            Assert.NotNull(await _b.Catalog.HeartbeatAsync("orders-1", cancellationToken: Ct)); // heartbeats go to b only
            await _a.Store.TickAsync(Ct);
            Assert.Equal(0, await _a.Catalog.SweepAsync(Ct));
            Assert.NotNull(_a.Catalog.GetInstance("orders-1"));
        }

        _time.Advance(TimeSpan.FromSeconds(11));
        await _a.Store.TickAsync(Ct);
        Assert.Equal(1, await _a.Catalog.SweepAsync(Ct));
        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1") is null, "the expiry reaches b");
        Assert.Null(await _b.Catalog.HeartbeatAsync("orders-1", cancellationToken: Ct));
    }

    [Fact]
    public async Task Heartbeat_ForAnInstanceRedisNoLongerHas_AsksItToRegisterAgain()
    {
        await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", ttl: TimeSpan.FromSeconds(10)), Ct);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        await redis.GetDatabase().KeyDeleteAsync("{" + _ns + "}:instance:orders-1");

        Assert.Null(await _a.Catalog.HeartbeatAsync("orders-1", cancellationToken: Ct));
    }

    [Fact]
    public async Task UnchangedReRegistration_OfAnInstanceRedisLost_WritesItBack()
    {
        var registration = RedisNode.Instance(id: "orders-1", ttl: TimeSpan.FromSeconds(10));
        await _a.Catalog.RegisterAsync(registration, Ct);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = redis.GetDatabase();
        await db.KeyDeleteAsync("{" + _ns + "}:instance:orders-1");

        var again = await _a.Catalog.RegisterAsync(registration, Ct);

        Assert.True(again.Created);
        Assert.True(await db.KeyExistsAsync("{" + _ns + "}:instance:orders-1"));
    }

    [Fact]
    public async Task TtlCheck_ReportedOnTheOtherNode_IsNotExpiredByTheLeader()
    {
        var check = new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(10) };
        await _b.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", check: check), Ct);
        await Eventually.TrueAsync(() => _a.Catalog.GetInstance("orders-1") is not null, "a sees orders-1");

        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.NotNull(await _b.Catalog.HeartbeatAsync("orders-1", HealthStatus.Passing, cancellationToken: Ct));
        _time.Advance(TimeSpan.FromSeconds(8));
        await _a.Store.TickAsync(Ct);
        Assert.Equal(0, await _a.Catalog.SweepAsync(Ct));
        Assert.Equal(HealthStatus.Passing, _a.Catalog.GetInstance("orders-1")!.Instance.Status);

        _time.Advance(TimeSpan.FromSeconds(11));
        await _a.Store.TickAsync(Ct);
        Assert.Equal(1, await _a.Catalog.SweepAsync(Ct));
        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1")?.Instance.Status == HealthStatus.Critical, "b sees the check critical");
    }

    [Fact]
    public async Task ActiveChecks_AreProbedByTheLeaderOnly()
    {
        var probedBy = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var onA = new HealthCheckScheduler(_a.Catalog, new CountingProbe("a", probedBy), _time, NullLogger<HealthCheckScheduler>.Instance);
        using var onB = new HealthCheckScheduler(_b.Catalog, new CountingProbe("b", probedBy), _time, NullLogger<HealthCheckScheduler>.Instance);
        var check = new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/health", Interval = TimeSpan.FromSeconds(5) };
        await _b.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", check: check), Ct);
        await Eventually.TrueAsync(() => onA.Scheduled == 1, "a schedules the replicated check");

        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(5));
            await _a.Store.TickAsync(Ct);
            await _b.Store.TickAsync(Ct);
            await onA.RunDueAsync(Ct);
            await onB.RunDueAsync(Ct);
        }

        Assert.NotEmpty(probedBy);
        Assert.All(probedBy, node => Assert.Equal("a", node));
    }

    private sealed class CountingProbe(string node, System.Collections.Concurrent.ConcurrentBag<string> probedBy) : IHealthProbe
    {
        public Task<(HealthStatus Status, string Output)> ProbeAsync(ServiceInstance instance, HealthCheckSpec check, CancellationToken cancellationToken)
        {
            probedBy.Add(node);
            return Task.FromResult((HealthStatus.Passing, "ok"));
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Expiry and checks run on the leader only, against cluster-wide deadlines.</summary>
public sealed class LeadershipTests : TwoNodeTests
{
    protected override Task AfterNodeStartedAsync(RedisNode node) => node.Store.TickAsync(Ct); // a takes the lease first

    [Fact]
    public async Task OneNodeLeads_AndTheOtherTakesOverWhenItStops()
    {
        Assert.True(A.Store.RunsDeadlines);
        Assert.False(B.Store.RunsDeadlines);
        Assert.Equal("a", B.Store.Leader);

        await A.DisposeAsync();
        await B.Store.TickAsync(Ct);

        Assert.True(B.Store.RunsDeadlines);
        Assert.Equal("b", B.Store.Leader);
    }

    [Fact]
    public async Task LeaderThatStopsRenewing_LosesTheRightToRunDeadlinesBeforeItsLeaseEnds()
    {
        Assert.True(A.Store.RunsDeadlines);

        Time.Advance(TimeSpan.FromSeconds(3)); // no tick: the local right lapses before the lease in Redis would

        Assert.False(A.Store.RunsDeadlines);
        Assert.Equal(0, await A.Catalog.SweepAsync(Ct));
    }

    [Fact]
    public async Task Sweep_OnTheNonLeader_ExpiresNothing()
    {
        await B.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", ttl: TimeSpan.FromSeconds(10)), Ct);
        Time.Advance(TimeSpan.FromSeconds(11));
        await B.Store.TickAsync(Ct);

        Assert.Equal(0, await B.Catalog.SweepAsync(Ct));
        Assert.NotNull(B.Catalog.GetInstance("orders-1"));
    }

    [Fact]
    public async Task Sweep_OnTheLeader_KeepsALeaseRenewedOnTheOtherNode_AndExpiresItWhenHeartbeatsStop()
    {
        await B.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", ttl: TimeSpan.FromSeconds(10)), Ct);
        await Eventually.TrueAsync(() => A.Catalog.GetInstance("orders-1") is not null, "a sees orders-1");

        for (var i = 0; i < 4; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(6));
            Assert.NotNull(await B.Catalog.HeartbeatAsync("orders-1", cancellationToken: Ct)); // heartbeats go to b only
            await A.Store.TickAsync(Ct);
            Assert.Equal(0, await A.Catalog.SweepAsync(Ct));
            Assert.NotNull(A.Catalog.GetInstance("orders-1"));
        }

        Time.Advance(TimeSpan.FromSeconds(11));
        await A.Store.TickAsync(Ct);
        Assert.Equal(1, await A.Catalog.SweepAsync(Ct));
        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1") is null, "the expiry reaches b");
        Assert.Null(await B.Catalog.HeartbeatAsync("orders-1", cancellationToken: Ct));
    }

    [Fact]
    public async Task Heartbeat_ForAnInstanceRedisNoLongerHas_AsksItToRegisterAgain()
    {
        await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", ttl: TimeSpan.FromSeconds(10)), Ct);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        await redis.GetDatabase().KeyDeleteAsync("{" + Namespace + "}:instance:orders-1");

        Assert.Null(await A.Catalog.HeartbeatAsync("orders-1", cancellationToken: Ct));
    }

    [Fact]
    public async Task UnchangedReRegistration_OfAnInstanceRedisLost_WritesItBack()
    {
        var registration = RedisNode.Instance(id: "orders-1", ttl: TimeSpan.FromSeconds(10));
        await A.Catalog.RegisterAsync(registration, Ct);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        var db = redis.GetDatabase();
        await db.KeyDeleteAsync("{" + Namespace + "}:instance:orders-1");

        var again = await A.Catalog.RegisterAsync(registration, Ct);

        Assert.True(again.Created);
        Assert.True(await db.KeyExistsAsync("{" + Namespace + "}:instance:orders-1"));
    }

    [Fact]
    public async Task TtlCheck_ReportedOnTheOtherNode_IsNotExpiredByTheLeader()
    {
        var check = new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(10) };
        await B.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", check: check), Ct);
        await Eventually.TrueAsync(() => A.Catalog.GetInstance("orders-1") is not null, "a sees orders-1");

        Time.Advance(TimeSpan.FromSeconds(8));
        Assert.NotNull(await B.Catalog.HeartbeatAsync("orders-1", HealthStatus.Passing, cancellationToken: Ct));
        Time.Advance(TimeSpan.FromSeconds(8));
        await A.Store.TickAsync(Ct);
        Assert.Equal(0, await A.Catalog.SweepAsync(Ct));
        Assert.Equal(HealthStatus.Passing, A.Catalog.GetInstance("orders-1")!.Instance.Status);

        Time.Advance(TimeSpan.FromSeconds(11));
        await A.Store.TickAsync(Ct);
        Assert.Equal(1, await A.Catalog.SweepAsync(Ct));
        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1")?.Instance.Status == HealthStatus.Critical, "b sees the check critical");
    }

    [Fact]
    public async Task ActiveChecks_AreProbedByTheLeaderOnly()
    {
        var probedBy = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var onA = new HealthCheckScheduler(A.Catalog, new CountingProbe("a", probedBy), Time, NullLogger<HealthCheckScheduler>.Instance);
        using var onB = new HealthCheckScheduler(B.Catalog, new CountingProbe("b", probedBy), Time, NullLogger<HealthCheckScheduler>.Instance);
        var check = new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/health", Interval = TimeSpan.FromSeconds(5) };
        await B.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", check: check), Ct);
        await Eventually.TrueAsync(() => onA.Scheduled == 1, "a schedules the replicated check");

        for (var i = 0; i < 4; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(5));
            await A.Store.TickAsync(Ct);
            await B.Store.TickAsync(Ct);
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

using StackExchange.Redis;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Redis going away and coming back, with and without hybrid mode.</summary>
public sealed class HybridTests : IAsyncLifetime
{
    private readonly RedisNodes _nodes = new();
    private RedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<RedisNode> StartAsync(string id, bool hybrid = true)
        => _nodes.StartAsync(_redis.ConnectionString, id, hybrid);

    private static async Task UntilOnlineAsync(RedisNode node)
        => await Eventually.TrueAsync(async () =>
        {
            await node.Store.TickAsync(Ct);
            await Task.Delay(50, Ct);
            return node.Store.IsOnline;
        }, $"{node.Store.NodeId} is back online");

    private static async Task UntilOfflineAsync(RedisNode node)
        => await Eventually.TrueAsync(async () =>
        {
            await node.Store.TickAsync(Ct);
            return !node.Store.IsOnline;
        }, $"{node.Store.NodeId} notices the outage");

    private async Task<HashSet<string>> RedisIdsAsync()
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        return [.. (await mux.GetDatabase().SortedSetRangeByRankAsync("{" + _nodes.Namespace + "}:versions")).Select(v => (string)v!)];
    }

    private static HashSet<string> Ids(RedisNode node)
        => [.. ((Switchboard.Registry.Storage.ICatalogReplica)node.Catalog).Versions().Select(v => v.InstanceId)];

    [Fact]
    public async Task Hybrid_RedisDownAtStart_StartsDegradedAndCatchesUpWhenItComes()
    {
        await _redis.StopAsync();
        var a = await StartAsync("a");
        Assert.Equal("degraded", a.Store.Health.Status);
        Assert.Contains("Redis unreachable", a.Store.Health.Detail, StringComparison.Ordinal);

        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1", ttl: TimeSpan.FromMinutes(1)), Ct);
        Assert.False(a.Store.RunsDeadlines);
        await _redis.StartAsync();
        await UntilOnlineAsync(a);

        Assert.Equal(["orders-1"], await RedisIdsAsync());
        Assert.Equal("ok", a.Store.Health.Status);
        await Eventually.TrueAsync(() => a.Catalog.GetInstance("orders-1")?.Instance.ModifyIndex > 0, "a holds orders-1 as Redis labels it");
    }

    [Fact]
    public async Task Hybrid_Outage_KeepsEveryAcknowledgedChangeAndBringsNoRemovedInstanceBack()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");
        var ttl = TimeSpan.FromMinutes(5);
        foreach (var id in new[] { "x1", "x2" })
            await a.Catalog.RegisterAsync(RedisNode.Instance(id: id, ttl: ttl, port: 8000 + id[1]), Ct);
        await b.Catalog.RegisterAsync(RedisNode.Instance(id: "x3", ttl: ttl), Ct);
        await Eventually.TrueAsync(() => Ids(a).SetEquals(["x1", "x2", "x3"]) && Ids(b).SetEquals(["x1", "x2", "x3"]), "both nodes hold x1..x3");

        await _redis.StopAsync();
        await UntilOfflineAsync(a);
        await UntilOfflineAsync(b);

        // b re-registers x1 with a change, then a deregisters x1: the later removal must win whoever writes back first.
        await b.Catalog.RegisterAsync(RedisNode.Instance(id: "x1", ttl: ttl, port: 9999), Ct);
        _nodes.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await a.Catalog.DeregisterAsync("x1", Ct));
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "x4", ttl: ttl), Ct);
        await b.Catalog.RegisterAsync(RedisNode.Instance(id: "x5", ttl: ttl), Ct);
        Assert.NotNull(await a.Catalog.HeartbeatAsync("x2", cancellationToken: Ct));
        Assert.NotNull(await b.Catalog.HeartbeatAsync("x3", cancellationToken: Ct));
        Assert.Equal("degraded", a.Store.Health.Status);
        Assert.Contains("2 changes waiting", a.Store.Health.Detail, StringComparison.Ordinal);
        Assert.False(a.Store.RunsDeadlines || b.Store.RunsDeadlines);

        await _redis.StartAsync();
        await UntilOnlineAsync(a); // a's removal first: b's older re-registration must be refused
        await UntilOnlineAsync(b);

        string[] expected = ["x2", "x3", "x4", "x5"];
        Assert.True((await RedisIdsAsync()).SetEquals(expected), string.Join(",", await RedisIdsAsync()));
        await Eventually.TrueAsync(() => Ids(a).SetEquals(expected) && Ids(b).SetEquals(expected), "both nodes converge on x2..x5");
        await using var mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        Assert.NotNull(await mux.GetDatabase().SortedSetScoreAsync("{" + _nodes.Namespace + "}:tombstones", "x1"));
    }

    [Fact]
    public async Task Hybrid_Outage_LaterReRegistrationWinsOverAnEarlierRemoval()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "x1", ttl: TimeSpan.FromMinutes(5)), Ct);
        await Eventually.TrueAsync(() => Ids(b).Contains("x1"), "b holds x1");

        await _redis.StopAsync();
        await UntilOfflineAsync(a);
        await UntilOfflineAsync(b);
        Assert.True(await a.Catalog.DeregisterAsync("x1", Ct));
        _nodes.Time.Advance(TimeSpan.FromSeconds(1));
        await b.Catalog.RegisterAsync(RedisNode.Instance(id: "x1", ttl: TimeSpan.FromMinutes(5), port: 9999), Ct);

        await _redis.StartAsync();
        await UntilOnlineAsync(b);
        await UntilOnlineAsync(a);

        Assert.Equal(["x1"], await RedisIdsAsync());
        await Eventually.TrueAsync(() => a.Catalog.GetInstance("x1")?.Instance.Port == 9999, "a takes b's later registration");
    }

    [Fact]
    public async Task WithoutHybrid_WritesFailWhileRedisIsAway_AndTheNodeHealsWhenItReturns()
    {
        var a = await StartAsync("a", hybrid: false);
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "x1"), Ct);

        await _redis.StopAsync();
        await UntilOfflineAsync(a);
        await Assert.ThrowsAsync<RedisStoreUnavailableException>(() => a.Catalog.RegisterAsync(RedisNode.Instance(id: "x2"), Ct));
        Assert.Equal("degraded", a.Store.Health.Status);
        Assert.NotNull(a.Catalog.GetInstance("x1")); // reads still served

        await _redis.StartAsync();
        await UntilOnlineAsync(a);

        await Eventually.TrueAsync(() => a.Catalog.GetInstance("x2") is null, "the refused registration does not linger");
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "x3"), Ct);
        Assert.True((await RedisIdsAsync()).SetEquals(["x1", "x3"]));
    }
}

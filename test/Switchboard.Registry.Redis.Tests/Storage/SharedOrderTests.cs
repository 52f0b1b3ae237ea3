using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Switchboard.Api;
using Switchboard.Registry.Notifications;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>
/// Each node's readers see the changes in the shared order: a node's own write becomes visible when its replica reaches it
/// among the other nodes' changes, at the index Redis gave it, and a node that lost changes tells its subscribers to resynchronise.
/// </summary>
public sealed class SharedOrderTests : IAsyncLifetime
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
        _b = await RedisNode.StartAsync(_redis.ConnectionString, _time, "b", _ns);
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
    public async Task ConcurrentWritesOfTheSameInstancesOnBothNodes_EachNodesEventsFollowTheSharedOrder_AndEveryAnswerNamesItsEvent()
    {
        using var onA = _a.Catalog.Events.Subscribe(backlog: 10_000);
        using var onB = _b.Catalog.Events.Subscribe(backlog: 10_000);
        var answers = new List<(long Index, string InstanceId)>[] { [], [] };

        // Both nodes write the same four instances at once, so each often holds a write of its own while the other's
        // change of the same instance arrives, ordered before it.
        await Task.WhenAll(new[] { _a, _b }.Select((node, n) => Task.Run(async () =>
        {
            for (var i = 0; i < 120; i++)
            {
                var id = $"orders-{i % 4}";
                var result = await node.Catalog.RegisterAsync(RedisNode.Instance(port: 1000 + n * 1000 + i, id: id), Ct);
                answers[n].Add((result.Index, id));
            }
        }, Ct)));

        var all = answers.SelectMany(a => a).ToList();
        Assert.Equal(all.Count, all.Select(a => a.Index).Distinct().Count()); // two writes never answer one index
        var last = all.Max(a => a.Index);
        foreach (var (node, subscription) in new[] { ("a", onA), ("b", onB) })
        {
            var events = await ReadUntilAsync(subscription, last);
            Assert.Null(subscription.CutOffReason);
            for (var i = 1; i < events.Count; i++)
                Assert.True(events[i].Index > events[i - 1].Index, $"{node}: index {events[i].Index} after {events[i - 1].Index}");
            var byIndex = events.ToDictionary(e => e.Index);
            foreach (var (index, id) in all)
                Assert.True(byIndex.TryGetValue(index, out var seen) && seen.InstanceId == id, $"{node}: no event of {id} at {index}, the index its write was answered with");
        }
    }

    [Fact]
    public async Task AnswerIndex_IsTheSharedIndexEveryNodeLabelsTheInstanceWith()
    {
        await _b.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-9", port: 9), Ct); // the nodes' local counts now differ

        var result = await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);

        Assert.Equal(result.Index, result.Instance.ModifyIndex);
        Assert.Equal(result.Index, _a.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex);
        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1")?.Instance.ModifyIndex == result.Index, "b labels orders-1 with a's answer");
    }

    [Fact]
    public async Task MissedChanges_EverySubscriberIsToldToResynchronise()
    {
        await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        using var all = _b.Catalog.Events.Subscribe();
        using var orders = _b.Catalog.Events.Subscribe(serviceName: "orders");

        // A message whose predecessor b never received: b lost changes (as when its subscription drops).
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
        {
            var global = (long)await redis.GetDatabase().StringGetAsync("{" + _ns + "}:index");
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("{" + _ns + "}:changes"),
                $$"""{"i":{{global + 10}},"b":{{global + 9}},"t":"sync","n":"elsewhere"}""");
        }

        await Eventually.TrueAsync(() => all.CutOffReason is not null && orders.CutOffReason is not null, "b cuts its subscribers off");
        Assert.StartsWith(CatalogEventHub.ResyncPrefix, all.CutOffReason!, StringComparison.Ordinal);
        Assert.Contains("missed changes", orders.CutOffReason!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeriodicReconciliation_LeavesChangesStillOnTheirWayToTheirMessages_AGapOneAppliesThemAndSaysResync()
    {
        var registered = await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        using var subscriber = _b.Catalog.Events.Subscribe(serviceName: "orders");

        // A change of orders-1 Redis has run and whose message has not reached b yet: a later modify index, no message.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
        {
            var db = redis.GetDatabase();
            var later = await db.StringIncrementAsync("{" + _ns + "}:index", 5);
            await db.HashSetAsync("{" + _ns + "}:instance:orders-1", "index", later);
            await db.SortedSetAddAsync("{" + _ns + "}:versions", "orders-1", later);
        }

        Assert.Equal(0, await _b.Store.ResyncAsync("periodic reconciliation", Ct, lost: false));

        // Here its message never comes: the claim's own message shows b the gap (or the call below finds it first), and b
        // applies the change and tells its subscribers to resynchronise.
        await _b.Store.ResyncAsync("the change subscription reconnected", Ct, lost: true);
        Assert.NotEqual(registered.Index, _b.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex);
        await Eventually.TrueAsync(() => subscriber.CutOffReason is not null, "b tells its subscriber to resynchronise");
        Assert.StartsWith(CatalogEventHub.ResyncPrefix, subscriber.CutOffReason!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicationLag_ChangesRedisRanThatTheNodeHasNotReceived()
    {
        await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        await _b.Store.TickAsync(Ct);
        Assert.Equal(0, _b.Store.ReplicationLag);

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
            await redis.GetDatabase().StringIncrementAsync("{" + _ns + "}:index", 5); // five changes whose messages never come
        await _b.Store.TickAsync(Ct);

        Assert.Equal(5, _b.Store.ReplicationLag);
    }

    private static async Task<List<CatalogEvent>> ReadUntilAsync(CatalogEventHub.Subscription subscription, long index)
    {
        var events = new List<CatalogEvent>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (events.Count == 0 || events[^1].Index < index)
            events.Add(await subscription.Events.ReadAsync(deadline.Token));
        return events;
    }
}

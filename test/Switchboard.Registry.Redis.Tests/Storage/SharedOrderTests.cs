using StackExchange.Redis;
using Switchboard.Api;
using Switchboard.Registry.Notifications;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>
/// Each node's readers see the changes in the shared order: a node's own write becomes visible when its replica reaches it
/// among the other nodes' changes, at the index Redis gave it, and a node that lost changes tells its subscribers to resynchronise.
/// </summary>
public sealed class SharedOrderTests : TwoNodeTests
{

    [Fact]
    public async Task ConcurrentWritesOfTheSameInstancesOnBothNodes_EachNodesEventsFollowTheSharedOrder_AndEveryAnswerNamesItsEvent()
    {
        using var onA = A.Catalog.Events.Subscribe(backlog: 10_000);
        using var onB = B.Catalog.Events.Subscribe(backlog: 10_000);
        var answers = new List<(long Index, string InstanceId)>[] { [], [] };

        // Both nodes write the same four instances at once, so each often holds a write of its own while the other's
        // change of the same instance arrives, ordered before it.
        await Task.WhenAll(new[] { A, B }.Select((node, n) => Task.Run(async () =>
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
        await B.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-9", port: 9), Ct); // the nodes' local counts now differ

        var result = await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);

        Assert.Equal(result.Index, result.Instance.ModifyIndex);
        Assert.Equal(result.Index, A.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex);
        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1")?.Instance.ModifyIndex == result.Index, "b labels orders-1 with a's answer");
    }

    [Fact]
    public async Task MissedChanges_EverySubscriberIsToldToResynchronise()
    {
        await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        using var all = B.Catalog.Events.Subscribe();
        using var orders = B.Catalog.Events.Subscribe(serviceName: "orders");

        // A message whose predecessor b never received: b lost changes (as when its subscription drops).
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString))
        {
            var global = (long)await redis.GetDatabase().StringGetAsync("{" + Namespace + "}:index");
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("{" + Namespace + "}:changes"),
                $$"""{"i":{{global + 10}},"b":{{global + 9}},"t":"sync","n":"elsewhere"}""");
        }

        await Eventually.TrueAsync(() => all.CutOffReason is not null && orders.CutOffReason is not null, "b cuts its subscribers off");
        Assert.StartsWith(CatalogEventHub.ResyncPrefix, all.CutOffReason!, StringComparison.Ordinal);
        Assert.Contains("missed changes", orders.CutOffReason!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeriodicReconciliation_LeavesChangesStillOnTheirWayToTheirMessages_AGapOneAppliesThemAndSaysResync()
    {
        var registered = await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        using var subscriber = B.Catalog.Events.Subscribe(serviceName: "orders");

        // A change of orders-1 Redis has run and whose message has not reached b yet: a later modify index, no message.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString))
        {
            var db = redis.GetDatabase();
            var later = await db.StringIncrementAsync("{" + Namespace + "}:index", 5);
            await db.HashSetAsync("{" + Namespace + "}:instance:orders-1", "index", later);
            await db.SortedSetAddAsync("{" + Namespace + "}:versions", "orders-1", later);
        }

        Assert.Equal(0, await B.Store.ResyncAsync("periodic reconciliation", Ct, lost: false));

        // Here its message never comes: the claim's own message shows b the gap (or the call below finds it first), and b
        // applies the change and tells its subscribers to resynchronise.
        await B.Store.ResyncAsync("the change subscription reconnected", Ct, lost: true);
        Assert.NotEqual(registered.Index, B.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex);
        await Eventually.TrueAsync(() => subscriber.CutOffReason is not null, "b tells its subscriber to resynchronise");
        Assert.StartsWith(CatalogEventHub.ResyncPrefix, subscriber.CutOffReason!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicationLag_ChangesRedisRanThatTheNodeHasNotReceived()
    {
        await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        await B.Store.TickAsync(Ct);
        Assert.Equal(0, B.Store.ReplicationLag);

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString))
            await redis.GetDatabase().StringIncrementAsync("{" + Namespace + "}:index", 5); // five changes whose messages never come
        await B.Store.TickAsync(Ct);

        Assert.Equal(5, B.Store.ReplicationLag);
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

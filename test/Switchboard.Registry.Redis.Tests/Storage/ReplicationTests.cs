using StackExchange.Redis;
using Switchboard.Api;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Two in-process nodes with their own connections over one real redis-server.</summary>
public sealed class ReplicationTests : TwoNodeTests
{

    [Fact]
    public async Task Register_OnOneNode_AppearsOnTheOtherWithTheSameIndex()
    {
        var result = await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);

        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        await Eventually.TrueAsync(() => A.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex == B.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex,
            "both nodes label the registration with one index");
        Assert.Equal(result.Index, B.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex);
        Assert.Equal(A.Catalog.GetService("orders")!.Index, B.Catalog.GetService("orders")!.Index);
    }

    [Fact]
    public async Task Deregister_OnTheOtherNode_RemovesEverywhereAndLeavesATombstone()
    {
        await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");

        Assert.True(await B.Catalog.DeregisterAsync("orders-1", Ct));

        await Eventually.TrueAsync(() => A.Catalog.GetInstance("orders-1") is null, "a drops orders-1");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        var db = redis.GetDatabase();
        Assert.False(await db.KeyExistsAsync("{" + Namespace + "}:instance:orders-1"));
        Assert.NotNull(await db.SortedSetScoreAsync("{" + Namespace + "}:tombstones", "orders-1"));
        Assert.Null(await db.SortedSetScoreAsync("{" + Namespace + "}:versions", "orders-1"));
    }

    [Fact]
    public async Task WaitForService_OnB_IsWokenByARegistrationOnA()
    {
        await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => B.Catalog.GetService("orders") is { Instances.Count: 1 }, "b sees orders");
        var seen = B.Catalog.GetService("orders")!.Index;

        var wait = B.Catalog.WaitForServiceAsync("orders", seen, TimeSpan.FromMinutes(5), Ct);
        Assert.False(wait.IsCompleted);
        await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-2", port: 8081), Ct);
        var view = await wait.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(view!.Index > seen);
        Assert.Equal(["orders-1", "orders-2"], view.Instances.Select(i => i.InstanceId));
    }

    [Fact]
    public async Task Events_OnB_CarryChangesMadeOnA()
    {
        using var subscription = B.Catalog.Events.Subscribe();
        var registered = await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await A.Catalog.DeregisterAsync("orders-1", Ct);

        var first = await subscription.Events.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var second = await subscription.Events.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal((CatalogEventTypes.Registered, "orders-1", registered.Index), (first.Type, first.InstanceId, first.Index));
        Assert.Equal((CatalogEventTypes.Deregistered, "orders-1"), (second.Type, second.InstanceId));
        Assert.True(second.Index > first.Index);
    }

    [Fact]
    public async Task ConcurrentWrites_FromBothNodes_ConvergeToWhatRedisHolds()
    {
        var writers = new[] { A, B }.Select((node, n) => Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                var id = $"svc-{i % 20}";
                if (i % 7 == 3)
                    await node.Catalog.DeregisterAsync(id, Ct);
                else
                    await node.Catalog.RegisterAsync(RedisNode.Instance(service: $"svc{i % 20 % 3}", port: 1000 + n * 100 + i, id: id), Ct); // an id stays in its service
            }
        }, Ct)).ToArray();
        await Task.WhenAll(writers);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        var db = redis.GetDatabase();
        var truth = (await db.SortedSetRangeByRankWithScoresAsync("{" + Namespace + "}:versions")).ToDictionary(e => (string)e.Element!, e => (long)e.Score);
        foreach (var node in new[] { A, B })
        {
            await Eventually.TrueAsync(() =>
            {
                var mine = ((Switchboard.Registry.Storage.ICatalogReplica)node.Catalog).Versions().ToDictionary(v => v.InstanceId, v => v.ModifyIndex);
                return mine.Count == truth.Count && truth.All(t => mine.TryGetValue(t.Key, out var m) && m == t.Value);
            }, $"node {node.Store.NodeId} holds exactly what Redis holds");
            foreach (var (id, _) in truth)
            {
                var record = (string?)await db.HashGetAsync("{" + Namespace + "}:instance:" + id, "record");
                var port = System.Text.Json.JsonDocument.Parse(record!).RootElement.GetProperty("port").GetInt32();
                Assert.Equal(port, node.Catalog.GetInstance(id)!.Instance.Port);
            }
        }
    }

    [Fact]
    public async Task LostMessage_IsHealedByTheNextTicks()
    {
        // A change written to Redis without its message, as if the message had been lost on the way to b.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        var db = redis.GetDatabase();
        await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        var index = await db.StringIncrementAsync("{" + Namespace + "}:index");
        var record = (string)(await db.HashGetAsync("{" + Namespace + "}:instance:orders-1", "record"))!;
        var changed = record.Replace("\"port\":8080", "\"port\":9090", StringComparison.Ordinal);
        await db.HashSetAsync("{" + Namespace + "}:instance:orders-1", [new("record", changed), new("index", index)]);
        await db.SortedSetAddAsync("{" + Namespace + "}:versions", "orders-1", index);

        await B.Store.TickAsync(Ct); // notes the index Redis is at
        await B.Store.TickAsync(Ct); // the channel never reached it: reconcile

        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1")!.Instance.Port == 9090, "b heals the lost change");
        Assert.Equal(index, B.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex);
    }

    [Fact]
    public async Task ForeignMessageOnTheChannel_IsSkippedWithAWarning()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("{" + Namespace + "}:changes"), "hello from someone else");
        await A.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);

        await Eventually.TrueAsync(() => B.Catalog.GetInstance("orders-1") is not null, "b keeps replicating");
        Assert.Contains(B.Log.Warnings, w => w.Contains("not a Switchboard change", StringComparison.Ordinal));
    }
}

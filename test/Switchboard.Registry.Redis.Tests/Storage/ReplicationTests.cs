using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Switchboard.Api;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Two in-process nodes with their own connections over one real redis-server.</summary>
public sealed class ReplicationTests : IAsyncLifetime
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
    public async Task Register_OnOneNode_AppearsOnTheOtherWithTheSameIndex()
    {
        var result = await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);

        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        await Eventually.TrueAsync(() => _a.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex == _b.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex,
            "both nodes label the registration with one index");
        Assert.Equal(result.Index, _b.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex);
        Assert.Equal(_a.Catalog.GetService("orders")!.Index, _b.Catalog.GetService("orders")!.Index);
    }

    [Fact]
    public async Task Deregister_OnTheOtherNode_RemovesEverywhereAndLeavesATombstone()
    {
        await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");

        Assert.True(await _b.Catalog.DeregisterAsync("orders-1", Ct));

        await Eventually.TrueAsync(() => _a.Catalog.GetInstance("orders-1") is null, "a drops orders-1");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = redis.GetDatabase();
        Assert.False(await db.KeyExistsAsync("{" + _ns + "}:instance:orders-1"));
        Assert.NotNull(await db.SortedSetScoreAsync("{" + _ns + "}:tombstones", "orders-1"));
        Assert.Null(await db.SortedSetScoreAsync("{" + _ns + "}:versions", "orders-1"));
    }

    [Fact]
    public async Task WaitForService_OnB_IsWokenByARegistrationOnA()
    {
        await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => _b.Catalog.GetService("orders") is { Instances.Count: 1 }, "b sees orders");
        var seen = _b.Catalog.GetService("orders")!.Index;

        var wait = _b.Catalog.WaitForServiceAsync("orders", seen, TimeSpan.FromMinutes(5), Ct);
        Assert.False(wait.IsCompleted);
        await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-2", port: 8081), Ct);
        var view = await wait.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(view!.Index > seen);
        Assert.Equal(["orders-1", "orders-2"], view.Instances.Select(i => i.InstanceId));
    }

    [Fact]
    public async Task Events_OnB_CarryChangesMadeOnA()
    {
        using var subscription = _b.Catalog.Events.Subscribe();
        var registered = await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await _a.Catalog.DeregisterAsync("orders-1", Ct);

        var first = await subscription.Events.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var second = await subscription.Events.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal((CatalogEventTypes.Registered, "orders-1", registered.Index), (first.Type, first.InstanceId, first.Index));
        Assert.Equal((CatalogEventTypes.Deregistered, "orders-1"), (second.Type, second.InstanceId));
        Assert.True(second.Index > first.Index);
    }

    [Fact]
    public async Task ConcurrentWrites_FromBothNodes_ConvergeToWhatRedisHolds()
    {
        var writers = new[] { _a, _b }.Select((node, n) => Task.Run(async () =>
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

        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = redis.GetDatabase();
        var truth = (await db.SortedSetRangeByRankWithScoresAsync("{" + _ns + "}:versions")).ToDictionary(e => (string)e.Element!, e => (long)e.Score);
        foreach (var node in new[] { _a, _b })
        {
            await Eventually.TrueAsync(() =>
            {
                var mine = ((Switchboard.Registry.Storage.ICatalogReplica)node.Catalog).Versions().ToDictionary(v => v.InstanceId, v => v.ModifyIndex);
                return mine.Count == truth.Count && truth.All(t => mine.TryGetValue(t.Key, out var m) && m == t.Value);
            }, $"node {node.Store.NodeId} holds exactly what Redis holds");
            foreach (var (id, _) in truth)
            {
                var record = (string?)await db.HashGetAsync("{" + _ns + "}:instance:" + id, "record");
                var port = System.Text.Json.JsonDocument.Parse(record!).RootElement.GetProperty("port").GetInt32();
                Assert.Equal(port, node.Catalog.GetInstance(id)!.Instance.Port);
            }
        }
    }

    [Fact]
    public async Task LostMessage_IsHealedByTheNextTicks()
    {
        // A change written to Redis without its message, as if the message had been lost on the way to b.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = redis.GetDatabase();
        await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1") is not null, "b sees orders-1");
        var index = await db.StringIncrementAsync("{" + _ns + "}:index");
        var record = (string)(await db.HashGetAsync("{" + _ns + "}:instance:orders-1", "record"))!;
        var changed = record.Replace("\"port\":8080", "\"port\":9090", StringComparison.Ordinal);
        await db.HashSetAsync("{" + _ns + "}:instance:orders-1", [new("record", changed), new("index", index)]);
        await db.SortedSetAddAsync("{" + _ns + "}:versions", "orders-1", index);

        await _b.Store.TickAsync(Ct); // notes the index Redis is at
        await _b.Store.TickAsync(Ct); // the channel never reached it: reconcile

        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1")!.Instance.Port == 9090, "b heals the lost change");
        Assert.Equal(index, _b.Catalog.GetInstance("orders-1")!.Instance.ModifyIndex);
    }

    [Fact]
    public async Task ForeignMessageOnTheChannel_IsSkippedWithAWarning()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("{" + _ns + "}:changes"), "hello from someone else");
        await _a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);

        await Eventually.TrueAsync(() => _b.Catalog.GetInstance("orders-1") is not null, "b keeps replicating");
        Assert.Contains(_b.Log.Warnings, w => w.Contains("not a Switchboard change", StringComparison.Ordinal));
    }
}

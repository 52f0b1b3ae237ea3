using StackExchange.Redis;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Two in-process nodes over a real three-master Redis Cluster on loopback.</summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly RedisNodes _nodes = new();
    private RedisCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await RedisCluster.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<RedisNode> StartAsync(string id)
        => _nodes.StartAsync(_cluster.ConnectionString, id);

    [Fact]
    public async Task TwoNodes_OverACluster_RegisterDiscoverDeregisterAndReplicate()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");

        await TwoNodeScenario.RunAsync(a, b, "orders-1", Ct);
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-2", port: 8082), Ct);
        await Eventually.TrueAsync(() => b.Catalog.GetInstance("orders-2") is not null, "b sees orders-2");

        // Every key of the namespace is in the slot of its hash tag, on one master.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString);
        Assert.Equal(["orders-2"], (await redis.GetDatabase().SortedSetRangeByRankAsync("{" + _nodes.Namespace + "}:versions")).Select(v => (string)v!));
        var owners = new List<string>();
        foreach (var server in redis.GetServers())
        {
            if (await server.KeysAsync(pattern: "{" + _nodes.Namespace + "}:*").AnyAsync(Ct))
                owners.Add(server.EndPoint.ToString()!);
        }
        Assert.Single(owners);
    }

    [Fact]
    public async Task Node_StartingOnACluster_LoadsWhatIsThereAndAuditsEveryMaster()
    {
        var a = await StartAsync("a");
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_cluster.ConnectionString))
            await redis.GetDatabase().StringSetAsync("{" + _nodes.Namespace + "}:something-else", "foreign");

        var b = await StartAsync("b");

        Assert.NotNull(b.Catalog.GetInstance("orders-1"));
        await Eventually.TrueAsync(() => b.Log.Warnings.Any(w => w.Contains("{" + _nodes.Namespace + "}:something-else", StringComparison.Ordinal)),
            "the start-up audit lists the keys of the namespace on the cluster and names the foreign one");
        Assert.DoesNotContain(b.Log.Warnings, w => w.StartsWith("Could not list", StringComparison.Ordinal));
    }
}

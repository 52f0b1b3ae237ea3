using System.Globalization;
using StackExchange.Redis;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Nodes that find their Redis through a real Sentinel (<c>redis-server --sentinel</c>) on loopback.</summary>
public sealed class SentinelTests : IAsyncLifetime
{
    private readonly RedisNodes _nodes = new();
    private readonly List<RedisServer> _servers = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        foreach (var server in _servers)
            await server.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<RedisServer> StartServerAsync(RedisServerSettings? settings = null)
    {
        var server = await RedisServer.StartAsync(settings ?? new RedisServerSettings());
        _servers.Add(server);
        return server;
    }

    [Fact]
    public async Task TwoNodes_ThroughASentinel_RegisterDiscoverDeregisterAndReplicate()
    {
        var master = await StartServerAsync();
        var sentinel = await StartServerAsync(new RedisServerSettings { SentinelFor = master.Port });
        var a = await _nodes.StartAsync(sentinel.ConnectionString, "a");
        var b = await _nodes.StartAsync(sentinel.ConnectionString, "b");

        Assert.Equal($"{sentinel.Endpoint} (Sentinel service {RedisServer.SentinelService})", a.Store.Endpoints);
        await TwoNodeScenario.RunAsync(a, b, "orders-1", Ct);
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-2"), Ct);

        await using var direct = await ConnectionMultiplexer.ConnectAsync(master.ConnectionString);
        Assert.True(await direct.GetDatabase().KeyExistsAsync("{" + _nodes.Namespace + "}:instance:orders-2"), "the write landed on the master the Sentinel named");
    }

    [Fact]
    public async Task Node_ThroughASentinel_WritesToTheReplicaThatIsPromotedWhenTheMasterDies()
    {
        var master = await StartServerAsync();
        var replica = await StartServerAsync(new RedisServerSettings { ReplicaOf = master.Port });
        var sentinel = await StartServerAsync(new RedisServerSettings { SentinelFor = master.Port });
        await Eventually.TrueAsync(async () => (await SentinelAsync(sentinel, "replicas")).Contains(replica.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
            "the Sentinel knows the replica");
        var a = await _nodes.StartAsync(sentinel.ConnectionString, "a");
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await using (var onReplica = await ConnectionMultiplexer.ConnectAsync(replica.ConnectionString))
        {
            await Eventually.TrueAsync(async () => await onReplica.GetDatabase().KeyExistsAsync("{" + _nodes.Namespace + "}:instance:orders-1", CommandFlags.PreferReplica),
                "the replica has orders-1");
        }

        await master.KillAsync();

        await Eventually.TrueAsync(async () => (await SentinelAsync(sentinel, "get-master-addr-by-name")).Contains(replica.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
            "the Sentinel promotes the replica");
        await Eventually.TrueAsync(async () =>
        {
            await a.Store.TickAsync(Ct);
            try
            {
                await a.RegisterWhileTickingAsync(RedisNode.Instance(id: "orders-2", port: 8082, ttl: TimeSpan.FromMinutes(1)), Ct);
                return true;
            }
            catch (RegistryStoreUnavailableException)
            {
                return false; // not reconnected to the new master yet
            }
        }, "the node writes to the promoted replica");

        await using var promoted = await ConnectionMultiplexer.ConnectAsync(replica.ConnectionString);
        var ids = (await promoted.GetDatabase().SortedSetRangeByRankAsync("{" + _nodes.Namespace + "}:versions")).Select(v => (string)v!).ToHashSet();
        Assert.True(ids.SetEquals(["orders-1", "orders-2"]), string.Join(",", ids));
    }

    private static async Task<string> SentinelAsync(RedisServer sentinel, string what)
        => (await ProcessRunner.RunAsync("redis-cli", "-p", sentinel.Port.ToString(CultureInfo.InvariantCulture), "sentinel", what, RedisServer.SentinelService)).Stdout;
}

using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Nodes that find their Redis through a real Sentinel (<c>redis-server --sentinel</c>) on loopback.</summary>
public sealed class SentinelTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(RedisNode.Epoch);
    private readonly string _ns = "t" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<IAsyncDisposable> _started = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        // Nodes first, then Sentinel and servers.
        for (var i = _started.Count - 1; i >= 0; i--)
            await _started[i].DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<T> KeepAsync<T>(Task<T> starting) where T : IAsyncDisposable
    {
        var started = await starting;
        _started.Add(started);
        return started;
    }

    [Fact]
    public async Task TwoNodes_ThroughASentinel_RegisterDiscoverDeregisterAndReplicate()
    {
        var master = await KeepAsync(RedisServer.StartAsync());
        var sentinel = await KeepAsync(RedisServer.StartAsync(new RedisServerSettings { SentinelFor = master.Port }));
        var a = await KeepAsync(RedisNode.StartAsync(sentinel.ConnectionString, _time, "a", _ns));
        var b = await KeepAsync(RedisNode.StartAsync(sentinel.ConnectionString, _time, "b", _ns));

        Assert.Equal($"{sentinel.Endpoint} (Sentinel service {RedisServer.SentinelService})", a.Store.Endpoints);
        await TwoNodeScenario.RunAsync(a, b, "orders-1", Ct);
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-2"), Ct);

        await using var direct = await ConnectionMultiplexer.ConnectAsync(master.ConnectionString);
        Assert.True(await direct.GetDatabase().KeyExistsAsync("{" + _ns + "}:instance:orders-2"), "the write landed on the master the Sentinel named");
    }

    [Fact]
    public async Task Node_ThroughASentinel_WritesToTheReplicaThatIsPromotedWhenTheMasterDies()
    {
        var master = await KeepAsync(RedisServer.StartAsync());
        var replica = await KeepAsync(RedisServer.StartAsync(new RedisServerSettings { ReplicaOf = master.Port }));
        var sentinel = await KeepAsync(RedisServer.StartAsync(new RedisServerSettings { SentinelFor = master.Port }));
        await Eventually.TrueAsync(async () => (await SentinelAsync(sentinel, "replicas")).Contains(replica.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
            "the Sentinel knows the replica");
        var a = await KeepAsync(RedisNode.StartAsync(sentinel.ConnectionString, _time, "a", _ns));
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await using (var onReplica = await ConnectionMultiplexer.ConnectAsync(replica.ConnectionString))
        {
            await Eventually.TrueAsync(async () => await onReplica.GetDatabase().KeyExistsAsync("{" + _ns + "}:instance:orders-1", CommandFlags.PreferReplica),
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
                await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-2", port: 8082, ttl: TimeSpan.FromMinutes(1)), Ct);
                return true;
            }
            catch (RegistryStoreUnavailableException)
            {
                return false; // not reconnected to the new master yet
            }
        }, "the node writes to the promoted replica");

        await using var promoted = await ConnectionMultiplexer.ConnectAsync(replica.ConnectionString);
        var ids = (await promoted.GetDatabase().SortedSetRangeByRankAsync("{" + _ns + "}:versions")).Select(v => (string)v!).ToHashSet();
        Assert.True(ids.SetEquals(["orders-1", "orders-2"]), string.Join(",", ids));
    }

    private static async Task<string> SentinelAsync(RedisServer sentinel, string what)
        => (await ToolProcess.RunAsync("redis-cli", "-p", sentinel.Port.ToString(CultureInfo.InvariantCulture), "sentinel", what, RedisServer.SentinelService)).Stdout;
}

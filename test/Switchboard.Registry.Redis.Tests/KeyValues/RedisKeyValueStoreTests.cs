using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Registry.KeyValues;
using Switchboard.Registry.Redis.KeyValues;

namespace Switchboard.Registry.Redis.Tests.KeyValues;

/// <summary>Two key/value engines (nodes) on one real redis-server: writes, cas and blocking waits across nodes, gaps, a Redis restart.</summary>
public sealed class RedisKeyValueStoreTests : IAsyncLifetime
{
    private readonly string _ns = "kv-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<IAsyncDisposable> _cleanup = [];
    private RedisServer _redis = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup))
            await item.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private async Task<(RedisKeyValueStore Store, KeyValueService Service)> NodeAsync(bool hybrid = false)
    {
        var store = new RedisKeyValueStore(Options.Create(new RedisStoreOptions { ConnectionString = _redis.ConnectionString, Namespace = _ns, Hybrid = hybrid, ConnectTimeout = TimeSpan.FromSeconds(1) }),
            TimeProvider.System, NullLogger<RedisKeyValueStore>.Instance);
        _cleanup.Add(store);
        await store.LoadAsync(Ct);
        var service = new KeyValueService(store, Options.Create(new KeyValueOptions()), Options.Create(new Switchboard.Registry.Catalog.RegistryOptions()), TimeProvider.System);
        return (store, service);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task PutOnA_ReadOnB_BlockingWaitOnBWakes_BytesUnchanged()
    {
        var (a, _) = await NodeAsync();
        var (b, bService) = await NodeAsync();
        var before = bService.WatchIndex("app/orders/", prefix: true);
        var wait = bService.WaitAsync("app/orders/", prefix: true, before, TimeSpan.FromMinutes(1), Ct);
        Assert.False(wait.IsCompleted);

        byte[] value = [0, 1, (byte)'\n', 0xff, .. Bytes(" ünïcode")];
        var put = await a.PutAsync("app/orders/Größe", value, 42, null, Ct);

        Assert.True(put.Applied);
        Assert.Equal(put.Index, await wait.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        var seen = b.Mirror.Get("app/orders/Größe");
        Assert.NotNull(seen);
        Assert.Equal(value, seen.Value);
        Assert.Equal(42, seen.Flags);
        Assert.Equal(put.Index, seen.ModifyIndex);
        Assert.Equal(put.Index, seen.CreateIndex);
        Assert.Equal(a.Mirror.Get("app/orders/Größe"), seen with { Value = a.Mirror.Get("app/orders/Größe")!.Value });

        // A node started later reads everything.
        var (c, _) = await NodeAsync();
        Assert.Equal(value, c.Mirror.Get("app/orders/Größe")!.Value);
        Assert.Equal(put.Index, c.Mirror.Index);
    }

    [Fact]
    public async Task Cas_DecidedInRedis_AcrossNodes()
    {
        var (a, _) = await NodeAsync();
        var (b, _) = await NodeAsync();

        Assert.True((await a.PutAsync("lock", Bytes("a"), 0, 0, Ct)).Applied);
        var refused = await b.PutAsync("lock", Bytes("b"), 0, 0, Ct); // b's mirror may not show it yet: Redis decides
        Assert.False(refused.Applied);
        var modify = a.Mirror.Get("lock")!.ModifyIndex;
        Assert.True((await b.PutAsync("lock", Bytes("b2"), 0, modify, Ct)).Applied);
        Assert.False((await a.PutAsync("lock", Bytes("a2"), 0, modify, Ct)).Applied); // stale
        Assert.False((await a.DeleteAsync("lock", false, modify, Ct)).Applied);

        // Concurrent increments through cas on both nodes: every applied one counts, none is lost.
        await a.PutAsync("counter", Bytes("0"), 0, null, Ct);
        await Eventually.TrueAsync(() => b.Mirror.Get("counter") is not null, "node B shows the counter");
        var applied = 0;
        async Task IncrementAsync(RedisKeyValueStore node)
        {
            for (var done = 0; done < 10;)
            {
                var current = node.Mirror.Get("counter")!;
                var next = int.Parse(Encoding.UTF8.GetString(current.Value), System.Globalization.CultureInfo.InvariantCulture) + 1;
                if ((await node.PutAsync("counter", Bytes(next.ToString(System.Globalization.CultureInfo.InvariantCulture)), 0, current.ModifyIndex, Ct)).Applied)
                {
                    done++;
                    Interlocked.Increment(ref applied);
                }
            }
        }
        await Task.WhenAll(Task.Run(() => IncrementAsync(a), Ct), Task.Run(() => IncrementAsync(b), Ct));
        Assert.Equal(20, applied);
        // The last increment may have been B's: each node's memory follows the other's writes through the change channel.
        await Eventually.TrueAsync(() => a.Mirror.Get("counter")!.Value.SequenceEqual(Bytes("20")), "node A shows the last increment");
        await Eventually.TrueAsync(() => b.Mirror.Get("counter")!.Value.SequenceEqual(Bytes("20")), "node B shows the last increment");
    }

    [Fact]
    public async Task Deletes_OneKeyAndATree_ReachTheOtherNode()
    {
        var (a, _) = await NodeAsync();
        var (b, bService) = await NodeAsync();
        foreach (var key in new[] { "app/a", "app/b/c", "app/b/d", "apple", "other" })
            await a.PutAsync(key, Bytes(key), 0, null, Ct);
        await Eventually.TrueAsync(() => b.Mirror.Count == 5, "node B holds the five keys");

        var seen = bService.WatchIndex("app/a", prefix: false);
        var wait = bService.WaitAsync("app/a", prefix: false, seen, TimeSpan.FromMinutes(1), Ct);
        var deleted = await a.DeleteAsync("app/a", false, null, Ct);
        Assert.Equal(deleted.Index, await wait.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Null(b.Mirror.Get("app/a"));

        var tree = await b.DeleteAsync("app/", true, null, Ct);
        Assert.True(tree.Applied);
        Assert.Equal(["apple", "other"], b.Mirror.List("").Select(e => e.Key));
        await Eventually.TrueAsync(() => a.Mirror.Index == tree.Index, "node A is at the tree delete's index");
        Assert.Equal(["apple", "other"], a.Mirror.List("").Select(e => e.Key));

        var nothing = await a.DeleteAsync("none/", true, null, Ct);
        Assert.Equal(tree.Index, nothing.Index); // nothing to delete: no index spent
    }

    [Fact]
    public async Task MissedMessage_NodeNoticesTheGap_AndReadsEverything()
    {
        var (a, _) = await NodeAsync();
        var (b, _) = await NodeAsync();
        await a.PutAsync("seen", Bytes("1"), 0, null, Ct);
        await Eventually.TrueAsync(() => b.Mirror.Get("seen") is not null, "node B shows the first key");

        // A change made in Redis without its message (as if B's subscription dropped it).
        await using (var raw = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
        {
            var db = raw.GetDatabase();
            var index = await db.StringIncrementAsync($"{{{_ns}}}:kv:index");
            await db.HashSetAsync($"{{{_ns}}}:kv:values", "silent", "quiet");
            await db.HashSetAsync($"{{{_ns}}}:kv:meta", "silent", $"0 {index} {index}");
            await db.SortedSetAddAsync($"{{{_ns}}}:kv:keys", "silent", 0);
        }
        await a.PutAsync("after", Bytes("2"), 0, null, Ct);

        await Eventually.TrueAsync(() => b.Mirror.Get("silent") is not null && b.Mirror.Get("after") is not null, "node B read everything after the gap");
        Assert.Equal(a.Mirror.Index, b.AppliedIndex);
    }

    [Fact]
    public async Task RedisRestart_WritesRefusedWhileAway_MirrorsKeptAndCurrentAfter()
    {
        var (a, _) = await NodeAsync();
        var (b, bService) = await NodeAsync();
        await a.PutAsync("app/color", Bytes("blue"), 0, null, Ct);
        await Eventually.TrueAsync(() => b.Mirror.Get("app/color") is not null, "node B shows the key");

        await _redis.StopAsync();
        var ex = await Assert.ThrowsAsync<RedisStoreUnavailableException>(() => a.PutAsync("app/color", Bytes("red"), 0, null, Ct));
        Assert.Contains("app/color", ex.Message, StringComparison.Ordinal);
        Assert.Equal("blue", Encoding.UTF8.GetString(b.Mirror.Get("app/color")!.Value)); // reads go on from memory

        await _redis.StartAsync(); // same port and data (append-only file)
        var seen = bService.WatchIndex("app/", prefix: true);
        KvWriteResult put = default;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                put = await a.PutAsync("app/color", Bytes("green"), 0, null, Ct);
                return true;
            }
            catch (RedisStoreUnavailableException)
            {
                return false; // still reconnecting
            }
        }, "node A writes again");
        await Eventually.TrueAsync(() => b.Mirror.Get("app/color")?.Value.SequenceEqual(Bytes("green")) == true, "node B shows the write made after the restart");
        Assert.True(put.Index > seen);
        Assert.True(await bService.WaitAsync("app/", true, seen, TimeSpan.FromSeconds(30), Ct) > seen);
    }

    [Fact]
    public async Task Hybrid_RedisAwayAtStart_StartsEmpty_WritesRefused_ThenLoadsWhenItAnswers()
    {
        var (writer, _) = await NodeAsync();
        await writer.PutAsync("app/color", Bytes("blue"), 0, null, Ct);
        await _redis.StopAsync();

        var (late, _) = await NodeAsync(hybrid: true); // starts although Redis is away
        Assert.Equal(0, late.Mirror.Count);
        await Assert.ThrowsAsync<RedisStoreUnavailableException>(() => late.PutAsync("app/color", Bytes("red"), 0, null, Ct));

        await _redis.StartAsync();
        await Eventually.TrueAsync(() => late.Mirror.Get("app/color") is not null, "the hybrid node read the store once Redis answered");
        Assert.Equal(Bytes("blue"), late.Mirror.Get("app/color")!.Value);
        Assert.True((await late.PutAsync("app/color", Bytes("red"), 0, null, Ct)).Applied);
    }

    [Fact]
    public async Task NotHybrid_RedisAwayAtStart_LoadFailsNamingIt()
    {
        await _redis.StopAsync();
        var ex = await Assert.ThrowsAsync<RedisStoreUnavailableException>(() => NodeAsync());
        Assert.Contains("cannot connect to Redis for the key/value store", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposed_WritesRefusedAsUnavailable()
    {
        var (a, _) = await NodeAsync();
        await a.DisposeAsync();
        var ex = await Assert.ThrowsAsync<RedisStoreUnavailableException>(() => a.PutAsync("k", Bytes("v"), 0, null, Ct));
        Assert.Contains("closed", ex.Message, StringComparison.Ordinal);
        await a.DisposeAsync(); // twice: the host's stop and the container both dispose it
    }
}

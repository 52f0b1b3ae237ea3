using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Start-up: what a node reads, skips, and refuses.</summary>
public sealed class LoadTests
{
    private readonly FakeTimeProvider _time = new(RedisNode.Epoch);
    private readonly string _ns = "t" + Guid.NewGuid().ToString("N")[..8];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Load_AfterARedisRestart_FindsEveryInstanceWithItsIndexes()
    {
        await using var redis = await RedisServer.StartAsync();
        long index;
        await using (var a = await RedisNode.StartAsync(redis.ConnectionString, _time, "a", _ns))
        {
            await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
            index = (await a.Catalog.RegisterAsync(RedisNode.Instance(service: "billing", id: "billing-1"), Ct)).Index;
        }
        await redis.StopAsync();
        await redis.StartAsync();

        await using var b = await RedisNode.StartAsync(redis.ConnectionString, _time, "b", _ns);

        Assert.Equal(2, b.Catalog.InstanceCount);
        Assert.Equal(index, b.Catalog.GetInstance("billing-1")!.Instance.ModifyIndex);
        Assert.True(b.Catalog.Index >= index);
    }

    [Fact]
    public async Task Load_SkipsForeignAndCorruptedKeysWithAWarning()
    {
        await using var redis = await RedisServer.StartAsync();
        await using (var a = await RedisNode.StartAsync(redis.ConnectionString, _time, "a", _ns))
            await a.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);
        await using (var mux = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var db = mux.GetDatabase();
            var p = "{" + _ns + "}:";
            await db.StringSetAsync(p + "something-else", "x");                     // foreign key in the key space
            await db.StringSetAsync(_ns + ":orders", "seed 000 style key");         // foreign key under the namespace
            await db.HashSetAsync(p + "instance:broken", "record", "{not json");     // corrupted record
            await db.SortedSetAddAsync(p + "versions", "broken", 99);
            await db.SortedSetAddAsync(p + "versions", "missing", 98);              // listed without a record
            await db.HashSetAsync(p + "instance:other", "record", "{}");            // not listed
            await db.StringSetAsync(p + "instance:wrongtype", "x");
            await db.SortedSetAddAsync(p + "versions", "wrongtype", 97);
        }

        await using var b = await RedisNode.StartAsync(redis.ConnectionString, _time, "b", _ns);

        Assert.Equal(["orders-1"], ((Switchboard.Registry.Storage.ICatalogReplica)b.Catalog).Versions().Select(v => v.InstanceId));
        await Eventually.TrueAsync(() => b.Log.Warnings.Count(w => w.StartsWith("Skipped Redis key", StringComparison.Ordinal)) >= 6, "every bad key is reported");
        var warnings = string.Join("\n", b.Log.Warnings);
        foreach (var key in new[] { "something-else", _ns + ":orders", "instance:broken", "instance:missing", "instance:other", "instance:wrongtype" })
            Assert.Contains(key, warnings, StringComparison.Ordinal);
        Assert.Equal(1, b.Catalog.InstanceCount);
    }

    [Fact]
    public async Task Load_NothingListening_FailsWithOneReadableLine()
    {
        var port = Ports.Free();
        var node = RedisNode.Create($"127.0.0.1:{port}", _time, "a", _ns);
        await using var _ = node;

        var ex = await Assert.ThrowsAsync<RedisStoreUnavailableException>(() => node.Catalog.LoadAsync(Ct));

        Assert.Equal($"cannot connect to Redis at 127.0.0.1:{port}: nothing answered (is Redis running there, and is the port right? If it serves TLS, add ssl=true)", ex.Message);
    }

    [Fact]
    public async Task Load_WrongPassword_FailsWithOneReadableLine()
    {
        await using var redis = await RedisServer.StartAsync(password: "s3cret");
        var node = RedisNode.Create($"127.0.0.1:{redis.Port},password=wrong", _time, "a", _ns);
        await using var _ = node;

        var ex = await Assert.ThrowsAsync<RedisStoreUnavailableException>(() => node.Catalog.LoadAsync(Ct));

        Assert.Equal($"cannot connect to Redis at 127.0.0.1:{redis.Port}: authentication failed (check user= and password= in the connection string)", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task Load_RightPassword_Works()
    {
        await using var redis = await RedisServer.StartAsync(password: "s3cret");
        await using var node = await RedisNode.StartAsync(redis.ConnectionString, _time, "a", _ns);

        await node.Catalog.RegisterAsync(RedisNode.Instance(id: "orders-1"), Ct);

        Assert.True(node.Store.IsOnline);
    }

    [Theory]
    [InlineData("127.0.0.1:6379,connectTimeout=soon", "is invalid")]
    [InlineData("abortConnect=false", "names no endpoint")]
    public void Options_BadConnectionString_IsRejectedWhenConfigurationLoads(string connectionString, string expected)
    {
        var result = new RedisStoreOptionsValidator().Validate(null, new RedisStoreOptions { ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }
}

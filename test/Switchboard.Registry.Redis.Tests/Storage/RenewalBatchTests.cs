using StackExchange.Redis;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>Concurrent lease renewals share script calls, and each caller still gets Redis' own answer for its renewal.</summary>
public sealed class RenewalBatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly RedisNodes _nodes = new();
    private RedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<RedisNode> StartWithInstancesAsync(int count, bool hybrid = false)
    {
        var node = await _nodes.StartAsync(_redis.ConnectionString, "a", hybrid);
        for (var i = 0; i < count; i++)
            await node.Catalog.RegisterAsync(RedisNode.Instance(id: $"i-{i}", port: 8000 + i, ttl: TimeSpan.FromMinutes(1)), Ct);
        return node;
    }

    private RedisKey InstanceKey(string id) => new RedisKeys(_nodes.Namespace).Instance(id);

    /// <summary>A connection allowed to pause Redis' clients.</summary>
    private Task<ConnectionMultiplexer> AdminAsync() => ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");

    private static DateTimeOffset At(int ms) => RedisNode.Epoch + TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(ms);

    [Fact]
    public async Task ManyConcurrentRenewals_MixedWithUnknownIds_EachGetsItsOwnAnswer_AndRedisKeepsTheLatestDeadlines()
    {
        var node = await StartWithInstancesAsync(20);
        var callsBefore = node.Store.RenewalCalls;

        // 600 renewals at once: each known instance 20 times with rising deadlines, some with two TTL checks (renewals of
        // different sizes in one call), and 200 of instances Redis does not have.
        var renewals = new List<(LeaseRenewal Renewal, bool Known)>();
        for (var i = 0; i < 600; i++)
        {
            if (i % 3 == 2)
            {
                renewals.Add((new LeaseRenewal($"ghost-{i}", At(i), i % 2 == 0 ? [new CheckDeadline("c1", At(i))] : []), false));
                continue;
            }
            var checks = i % 4 == 0 ? new[] { new CheckDeadline("c1", At(i)), new CheckDeadline("c2", At(i + 1)) } : [];
            renewals.Add((new LeaseRenewal($"i-{i % 20}", At(i), checks), true));
        }
        var answers = renewals.Select(r => node.Store.RenewAsync(r.Renewal, Ct).AsTask()).ToArray();
        var results = await Task.WhenAll(answers).WaitAsync(Wait, Ct);

        Assert.Equal(renewals.Select(r => r.Known), results);
        Assert.InRange(node.Store.RenewalCalls - callsBefore, 1, 300); // shared calls, not one each

        await using var mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var db = mux.GetDatabase();
        for (var i = 0; i < 20; i++)
        {
            var mine = renewals.Where(r => r.Renewal.InstanceId == $"i-{i}").Select(r => r.Renewal).ToList();
            Assert.Equal(mine.Max(r => r.LeaseExpiresAt)!.Value.ToUnixTimeMilliseconds(), (long)await db.HashGetAsync(InstanceKey($"i-{i}"), "lease"));
            var c2 = mine.SelectMany(r => r.TtlChecks).Where(c => c.CheckId == "c2").Select(c => c.ExpiresAt).DefaultIfEmpty().Max();
            var stored = await db.HashGetAsync(InstanceKey($"i-{i}"), "ttl:c2");
            Assert.Equal(c2 == default ? (long?)null : c2.ToUnixTimeMilliseconds(), stored.IsNull ? (long?)null : (long)stored);
        }
        Assert.False(await db.KeyExistsAsync(InstanceKey("ghost-2"))); // an unknown instance is not created by a renewal
    }

    [Fact]
    public async Task ADeadlineIsNeverMovedBack_WithinOneCallOrAcrossCalls()
    {
        var node = await StartWithInstancesAsync(1);
        var answers = new[] { At(500), At(100), At(300) }.Select(at => node.Store.RenewAsync(new LeaseRenewal("i-0", at, []), Ct).AsTask()).ToArray();
        Assert.All(await Task.WhenAll(answers).WaitAsync(Wait, Ct), Assert.True);
        Assert.True(await node.Store.RenewAsync(new LeaseRenewal("i-0", At(200), []), Ct));

        await using var mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        Assert.Equal(At(500).ToUnixTimeMilliseconds(), (long)await mux.GetDatabase().HashGetAsync(InstanceKey("i-0"), "lease"));
    }

    [Fact]
    public async Task ForeignDataUnderOneInstanceKey_FailsThatRenewalAlone()
    {
        var node = await StartWithInstancesAsync(3);
        await using var mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        await mux.GetDatabase().StringSetAsync(InstanceKey("foreign"), "not a hash");

        var ids = new[] { "i-0", "foreign", "i-1", "ghost", "i-2" };
        var answers = ids.Select(id => node.Store.RenewAsync(new LeaseRenewal(id, At(0), []), Ct).AsTask()).ToArray();
        await Task.WhenAll(answers).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Wait, Ct);

        Assert.True(await answers[0]);
        var refused = await Assert.ThrowsAsync<RedisServerException>(() => answers[1]);
        Assert.Contains("WRONGTYPE", refused.Message, StringComparison.Ordinal);
        Assert.True(await answers[2]);
        Assert.False(await answers[3]);
        Assert.True(await answers[4]);
    }

    [Fact]
    public async Task RedisKilledWithRenewalsInFlight_EveryWaiterGetsTheFailure_NoneIsAnsweredAsSaved()
    {
        var node = await StartWithInstancesAsync(10);
        await using (var mux = await AdminAsync())
            await mux.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "60000", "WRITE"); // scripts wait: Redis does not have them yet

        var answers = Enumerable.Range(0, 500)
            .Select(i => node.Store.RenewAsync(new LeaseRenewal($"i-{i % 10}", At(i), []), Ct).AsTask())
            .ToArray();
        Assert.DoesNotContain(answers, a => a.IsCompleted);
        await _redis.KillAsync();

        // Every heartbeat fails (none is answered as saved: Redis never ran them), and none hangs.
        await Task.WhenAll(answers).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Wait, Ct);
        Assert.All(answers, a => Assert.IsType<RedisStoreUnavailableException>(a.Exception?.InnerException));
    }

    [Fact]
    public async Task RenewalWaitingForRedis_IsAnsweredOnlyOnceRedisRanIt()
    {
        var node = await StartWithInstancesAsync(1);
        await using var mux = await AdminAsync();
        var db = mux.GetDatabase();
        await db.ExecuteAsync("CLIENT", "PAUSE", "60000", "WRITE");

        var answer = node.Store.RenewAsync(new LeaseRenewal("i-0", At(42), []), Ct).AsTask();
        var during = answer.IsCompleted;
        await db.ExecuteAsync("CLIENT", "UNPAUSE");

        Assert.False(during);
        Assert.True(await answer.WaitAsync(Wait, Ct));
        Assert.Equal(At(42).ToUnixTimeMilliseconds(), (long)await db.HashGetAsync(InstanceKey("i-0"), "lease"));
    }

    [Fact]
    public async Task Hybrid_RedisKilledWithRenewalsInFlight_KeepsThemAndWritesThemBack()
    {
        var node = await StartWithInstancesAsync(5, hybrid: true);
        await using (var mux = await AdminAsync())
            await mux.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "60000", "WRITE");

        var answers = Enumerable.Range(0, 100)
            .Select(i => node.Store.RenewAsync(new LeaseRenewal($"i-{i % 5}", At(i), []), Ct).AsTask())
            .ToArray();
        await _redis.KillAsync();
        Assert.All(await Task.WhenAll(answers).WaitAsync(Wait, Ct), Assert.True); // hybrid: accepted in memory

        await _redis.StartAsync();
        await Eventually.TrueAsync(async () =>
        {
            await node.Store.TickAsync(Ct);
            return node.Store.IsOnline;
        }, "a is back online");
        // Online means new writes go straight to Redis; the renewals kept meanwhile are flushed right after, so wait for them.
        await using var after = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var expected = Enumerable.Range(0, 5).Select(i => At(95 + i).ToUnixTimeMilliseconds()).ToArray();
        long[] stored = [];
        await Eventually.TrueAsync(async () =>
        {
            await node.Store.TickAsync(Ct);
            var db = after.GetDatabase();
            stored = [.. await Task.WhenAll(Enumerable.Range(0, 5).Select(async i => (long)await db.HashGetAsync(InstanceKey($"i-{i}"), "lease")))];
            return stored.SequenceEqual(expected);
        }, "the kept renewals are written back");
        Assert.Equal(expected, stored);
    }
}

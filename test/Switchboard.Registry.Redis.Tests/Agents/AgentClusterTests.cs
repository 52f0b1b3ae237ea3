using System.Net;
using System.Text.Json;
using StackExchange.Redis;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>Several real agent processes over one real redis-server.</summary>
public sealed partial class AgentClusterTests : IAsyncLifetime
{
    private readonly string _ns = "t" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<ServiceProcess> _agents = [];
    private RedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
            await agent.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ServiceProcess> StartAgentAsync(string nodeId, bool hybrid = false)
    {
        string[] args = hybrid
            ? ["--redis", _redis.ConnectionString, "--redis-namespace", _ns, "--hybrid"]
            : ["--store", "redis", "--redis", _redis.ConnectionString, "--redis-namespace", _ns];
        var agent = await RedisAgent.StartAsync(nodeId, args, new Dictionary<string, string>
        {
            ["Switchboard__Store__Redis__ExpiryGraceAfterOutage"] = "00:00:02",
        });
        _agents.Add(agent);
        return agent;
    }

    private async Task<string?> LeaderAsync()
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        return await mux.GetDatabase().StringGetAsync("{" + _ns + "}:leader");
    }

    [Fact]
    public async Task TwoAgents_RegisterOnOne_DiscoverAndWatchOnTheOther()
    {
        var a = await StartAgentAsync("a");
        var b = await StartAgentAsync("b");

        await a.RegisterAsync("o1");
        await Eventually.TrueAsync(async () => (await b.Client.GetAsync("/service-discovery/discover/orders", Ct)).IsSuccessStatusCode, "b discovers orders");
        using (var discovered = await b.Client.GetAsync("/service-discovery/discover/orders", Ct))
            Assert.Equal("o1", JsonDocument.Parse(await discovered.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("instance_id").GetString());

        using var current = await b.Client.GetAsync("/service-discovery/services/orders/instances", Ct);
        var index = long.Parse(current.Headers.GetValues("X-Switchboard-Index").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var watch = b.Client.GetAsync($"/service-discovery/services/orders/instances?index={index}&wait=60s", Ct);
        await a.RegisterAsync("o2");
        using var woken = await watch.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var ids = JsonDocument.Parse(await woken.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateArray().Select(i => i.GetProperty("instance_id").GetString()).ToList();
        Assert.Contains("o2", ids);
        Assert.True(long.Parse(woken.Headers.GetValues("X-Switchboard-Index").Single(), System.Globalization.CultureInfo.InvariantCulture) > index);

        using (var deleted = await b.Client.DeleteAsync("/service-discovery/instances/o1", Ct))
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await Eventually.TrueAsync(async () => await a.InstanceAsync("o1") is null, "a drops o1 deregistered on b");
        var onA = (await a.InstanceAsync("o2"))!.Value.GetProperty("modify_index").GetInt64();
        var onB = (await b.InstanceAsync("o2"))!.Value.GetProperty("modify_index").GetInt64();
        Assert.Equal(onA, onB);
    }

    [Fact]
    public async Task ThreeAgents_KillTheLeader_ExpiryAndChecksGoOnElsewhere()
    {
        var nodes = new[] { await StartAgentAsync("n1"), await StartAgentAsync("n2"), await StartAgentAsync("n3") };
        string? leaderId = null;
        await Eventually.TrueAsync(async () => (leaderId = await LeaderAsync()) is not null, "a leader is elected");
        var leader = nodes.Single(n => n.Name == leaderId);
        var survivors = nodes.Where(n => n != leader).ToArray();
        using var target = new TargetServer();
        var check = new Dictionary<string, object> { ["kind"] = "http", ["http"] = $"http://127.0.0.1:{target.Port}/health", ["interval"] = "1s", ["timeout"] = "1s" };
        await survivors[0].RegisterAsync("web-1", check: check);
        await Eventually.TrueAsync(() => target.Hits > 0, "the leader probes web-1");

        await leader.KillAsync(); // kill -9
        await survivors[1].RegisterAsync("lease-1", ttl: "2s"); // never heartbeated
        target.Healthy = false;

        await Eventually.TrueAsync(async () => await LeaderAsync() is { } l && l != leaderId, "another node takes the lead");
        foreach (var node in survivors)
        {
            await Eventually.TrueAsync(async () => await node.InstanceAsync("lease-1") is null, $"lease-1 expires on {node.Name}");
            await Eventually.TrueAsync(async () => (await node.InstanceAsync("web-1"))?.GetProperty("status").GetString() == "critical",
                $"web-1 turns critical on {node.Name}");
        }
    }

    [Fact]
    public async Task TwoAgents_RedisStopped_ADeregistrationIsRefusedEveryTime_AndTheInstanceStaysOnBothNodes()
    {
        var a = await StartAgentAsync("a");
        var b = await StartAgentAsync("b");
        await a.RegisterAsync("o1", ttl: "0");
        await Eventually.TrueAsync(async () => (await b.InstanceIdsAsync()).Contains("o1"), "node b sees o1");

        await _redis.StopAsync();
        await Eventually.TrueAsync(async () => await a.HealthStatusAsync() == "degraded", "node a notices the outage");
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            using var refused = await a.Client.DeleteAsync("/service-discovery/instances/o1", Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"deregistration {attempt}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync(Ct)}");
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        Assert.Contains("o1", await a.InstanceIdsAsync()); // the refused removal is not visible, not even on the node that refused it
        Assert.NotNull(await a.InstanceAsync("o1"));

        await _redis.StartAsync();
        await Eventually.TrueAsync(async () => await a.HealthStatusAsync() == "healthy" && await b.HealthStatusAsync() == "healthy", "both nodes recover");
        Assert.Contains("o1", await a.InstanceIdsAsync());
        Assert.Contains("o1", await b.InstanceIdsAsync());

        using (var accepted = await a.Client.DeleteAsync("/service-discovery/instances/o1", Ct))
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await Eventually.TrueAsync(async () => !(await b.InstanceIdsAsync()).Contains("o1"), "node b drops o1 once the removal is saved");
        Assert.DoesNotContain("o1", await a.InstanceIdsAsync());
    }

    [Fact]
    public async Task TwoHybridAgents_RedisStoppedUnderHeartbeats_NothingAcknowledgedIsLostAndNothingRemovedComesBack()
    {
        var a = await StartAgentAsync("a", hybrid: true);
        var b = await StartAgentAsync("b", hybrid: true);
        var owner = new Dictionary<string, ServiceProcess>();
        for (var i = 0; i < 10; i++)
        {
            var node = i % 2 == 0 ? a : b;
            await node.RegisterAsync($"i{i}", ttl: "8s");
            owner[$"i{i}"] = node;
        }

        var lost = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stopBeating = new CancellationTokenSource();
        var live = new System.Collections.Concurrent.ConcurrentDictionary<string, ServiceProcess>(owner);
        var beats = 0;
        var beating = Task.Run(async () =>
        {
            while (!stopBeating.IsCancellationRequested)
            {
                await Task.WhenAll(live.Select(async pair =>
                {
                    using var response = await pair.Value.Client.PutAsync($"/service-discovery/instances/{pair.Key}/heartbeat", null, Ct);
                    if (response.IsSuccessStatusCode)
                        Interlocked.Increment(ref beats);
                    else if (live.ContainsKey(pair.Key))
                        lost.Add($"{pair.Key}: {(int)response.StatusCode}");
                }));
                try
                {
                    await Task.Delay(1000, stopBeating.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }, Ct);

        await _redis.StopAsync();
        await Eventually.TrueAsync(async () => await a.HealthStatusAsync() == "degraded" && await b.HealthStatusAsync() == "degraded", "both nodes report degraded");
        var added = new[] { ("n1", a), ("n2", b), ("n3", a), ("n4", b) };
        foreach (var (id, node) in added)
        {
            await node.RegisterAsync(id, ttl: "8s");
            live[id] = node;
        }
        foreach (var id in new[] { "i0", "i1" })
        {
            live.TryRemove(id, out var node);
            using var response = await node!.Client.DeleteAsync($"/service-discovery/instances/{id}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Task.Delay(TimeSpan.FromSeconds(10), Ct); // longer than the TTL: heartbeats are kept in memory, nothing may expire

        await _redis.StartAsync();
        await Eventually.TrueAsync(async () => await a.HealthStatusAsync() == "healthy" && await b.HealthStatusAsync() == "healthy", "both nodes recover");
        var expected = live.Keys.ToHashSet();
        await Eventually.TrueAsync(async () => (await a.InstanceIdsAsync()).SetEquals(expected) && (await b.InstanceIdsAsync()).SetEquals(expected),
            "both nodes hold every acknowledged instance and no removed one");
        await Task.Delay(TimeSpan.FromSeconds(11), Ct); // past the TTL and the grace: the leader expires nothing that heartbeats

        await stopBeating.CancelAsync();
        await beating;
        Assert.Empty(lost);
        Assert.True(beats > 50, $"only {beats} heartbeats were acknowledged");
        Assert.True((await a.InstanceIdsAsync()).SetEquals(expected));
        Assert.True((await b.InstanceIdsAsync()).SetEquals(expected));
        await using var mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var stored = (await mux.GetDatabase().SortedSetRangeByRankAsync("{" + _ns + "}:versions")).Select(v => (string)v!).ToHashSet();
        Assert.True(stored.SetEquals(expected), string.Join(",", stored));
    }

    [Fact]
    public async Task Agent_ConfiguredThroughConfigurationOnly_UsesRedis()
    {
        var agent = await RedisAgent.StartAsync("c", [], new Dictionary<string, string>
        {
            ["Switchboard__Store__Kind"] = "redis",
            ["Switchboard__Store__Redis__ConnectionString"] = _redis.ConnectionString,
            ["Switchboard__Store__Redis__Namespace"] = "munbon:services",
        });
        _agents.Add(agent);

        Assert.Contains($"(store: redis at {_redis.ConnectionString}, namespace munbon:services, node c)", agent.Output, StringComparison.Ordinal);
        await agent.RegisterAsync("o1");
        await using var mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        Assert.True(await mux.GetDatabase().KeyExistsAsync("{munbon:services}:instance:o1"));
    }

    [Fact]
    public async Task Agent_UnreachableRedisWithoutHybrid_ExitsWithOneReadableLine()
    {
        var port = Ports.Free();

        var (exitCode, _, stderr) = await RedisAgent.RunToExitAsync(["--store", "redis", "--redis", $"127.0.0.1:{port}"]);

        Assert.Equal(1, exitCode);
        Assert.Equal($"switchboard: cannot connect to Redis at 127.0.0.1:{port}: nothing answered (is Redis running there, and is the port right? If it serves TLS, add ssl=true)", stderr.Trim());
    }

    [Fact]
    public async Task Agent_WrongPassword_ExitsWithOneReadableLine()
    {
        await using var secured = await RedisServer.StartAsync(password: "s3cret");

        var (exitCode, _, stderr) = await RedisAgent.RunToExitAsync(["--redis", $"127.0.0.1:{secured.Port},password=nope"]);

        Assert.Equal(1, exitCode);
        Assert.Equal($"switchboard: cannot connect to Redis at 127.0.0.1:{secured.Port}: authentication failed (check user= and password= in the connection string)", stderr.Trim());
    }

    [Fact]
    public async Task Agent_HybridWithRedisDown_StartsDegradedAndSaysSo()
    {
        await _redis.StopAsync();

        var agent = await StartAgentAsync("h", hybrid: true);

        Assert.Contains("degraded: Redis unreachable", agent.Output, StringComparison.Ordinal);
        Assert.Equal("degraded", await agent.HealthStatusAsync());
        await _redis.StartAsync();
        await Eventually.TrueAsync(async () => await agent.HealthStatusAsync() == "healthy", "the agent recovers when Redis starts");
    }
}

using Switchboard.Consistency.Tests.Campaign;
using Switchboard.Consistency.Tests.Checking;
using Switchboard.Registry.Redis.Tests;

namespace Switchboard.Consistency.Tests.Configurations;

/// <summary>
/// Two agents on one redis-server: SIGKILLed (restarted on the same port) and paused, redis-server SIGKILLed and restarted
/// on its data (append-only, fsync always), and one agent's link to it cut and healed, while clients write and read
/// through both agents.
/// </summary>
public sealed class RedisAgentsHistoryTests
{
    private const Fault Faults = Fault.Kill | Fault.Pause | Fault.StoreRestart | Fault.Partition;

    [Fact]
    public async Task TwoAgentsOnRedis_KillsPausesAndRedisRestarts_NoAnomalyButTheKnownWatchOrder()
    {
        var report = await RunAsync("redis", ["--store", "redis"]);

        // Known anomaly (docs/consistency.md, "Found"): a node publishes its own change's event at its provisional local index,
        // which can repeat or exceed the shared index of another node's change delivered after it. Remove this exception when fixed.
        var unexpected = report.Result.Anomalies.Where(a => a.Kind != AnomalyKind.WatchOutOfOrder).ToList();
        Assert.True(unexpected.Count == 0, report.Result.Summary() + $"history: {report.HistoryFile}");
        if (report.HistoryFile is not null)
            File.Delete(report.HistoryFile);
        CampaignAssert.NotVacuous(report);
    }

    [Fact]
    public async Task TwoAgentsOnRedisHybrid_KillsPausesAndRedisRestarts_NoPhantomOrResurrection()
    {
        var report = await RunAsync("hybrid", ["--hybrid"]);

        // Hybrid gives up lost writes (a node killed while Redis is away loses what it had not written back) and, like
        // plain Redis, watch order (the known provisional-index anomaly); it keeps these two. See docs/consistency.md.
        var broken = report.Result.Anomalies.Where(a => a.Kind is AnomalyKind.PhantomRead or AnomalyKind.Resurrected).ToList();
        Assert.True(broken.Count == 0, report.Result.Summary() + $"history: {report.HistoryFile}");
        if (report.HistoryFile is not null)
            File.Delete(report.HistoryFile);
        CampaignAssert.NotVacuous(report);
    }

    private static async Task<CampaignReport> RunAsync(string configuration, string[] mode)
    {
        var output = TestContext.Current.TestOutputHelper!;
        var ns = "h" + Guid.NewGuid().ToString("N")[..8];
        await using var redis = await RedisServer.StartAsync();
        // Each agent reaches Redis through its own proxy, so a partition cuts one agent off and leaves the other connected.
        await using var link1 = new TcpProxy("n1-redis", redis.Port);
        await using var link2 = new TcpProxy("n2-redis", redis.Port);
        await using var n1 = await AgentNode.StartAsync("n1", Arguments(mode, link1, ns), NodeId("n1"));
        await using var n2 = await AgentNode.StartAsync("n2", Arguments(mode, link2, ns), NodeId("n2"));
        var store = new StoreControl("redis", redis.KillAsync, redis.StartAsync, () => redis.IsRunning);
        return await HistoryCampaign.RunAsync(configuration, CampaignSettings.FromEnvironment(), [n1, n2], Faults, output.WriteLine, store, [link1, link2]);
    }

    private static string[] Arguments(string[] mode, TcpProxy link, string ns)
        => [.. mode, "--redis", $"127.0.0.1:{link.Port}", "--redis-namespace", ns];

    private static Dictionary<string, string> NodeId(string id) => new() { ["Switchboard__Store__Redis__NodeId"] = id };
}

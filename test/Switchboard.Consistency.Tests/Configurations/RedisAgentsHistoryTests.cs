using Switchboard.Consistency.Tests.Campaign;
using Switchboard.Consistency.Tests.Checking;
using Switchboard.Registry.Redis.Tests;

namespace Switchboard.Consistency.Tests.Configurations;

/// <summary>
/// Two agents on one redis-server: SIGKILLed (restarted on the same port) and paused, and redis-server SIGKILLed and
/// restarted on its data (append-only, fsync always), while clients write and read through both agents.
/// </summary>
public sealed class RedisAgentsHistoryTests
{
    private const Fault Faults = Fault.Kill | Fault.Pause | Fault.StoreRestart;

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
        string[] args = [.. mode, "--redis", redis.ConnectionString, "--redis-namespace", ns];
        await using var n1 = await AgentNode.StartAsync("n1", args, NodeId("n1"));
        await using var n2 = await AgentNode.StartAsync("n2", args, NodeId("n2"));
        var store = new StoreControl("redis", redis.KillAsync, redis.StartAsync, () => redis.IsRunning);
        return await HistoryCampaign.RunAsync(configuration, CampaignSettings.FromEnvironment(), [n1, n2], Faults, output.WriteLine, store);
    }

    private static Dictionary<string, string> NodeId(string id) => new() { ["Switchboard__Store__Redis__NodeId"] = id };
}

using Switchboard.Consistency.Tests.Campaign;
using Switchboard.Consistency.Tests.Checking;
using Switchboard.Consistency.Tests.Histories;
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
    public async Task TwoAgentsOnRedis_KillsPausesAndRedisRestarts_NoAnomaly()
    {
        var report = await RunAsync("redis", ["--store", "redis"]);

        Assert.True(report.Result.Anomalies.Count == 0, report.Result.Summary() + $"history: {report.HistoryFile}");
        if (report.HistoryFile is not null)
            File.Delete(report.HistoryFile);
        CampaignAssert.NotVacuous(report);
    }

    [Fact]
    public async Task TwoAgentsOnRedisHybrid_KillsPausesAndRedisRestarts_NoPhantomResurrectionOrWatchDisorder()
    {
        var report = await RunAsync("hybrid", ["--hybrid"]);

        // Hybrid gives up lost writes (a node killed while Redis is away loses what it had not written back), indexes that
        // never go back, and watchers seeing every change at the index it was answered with (a write acknowledged while
        // Redis is away is answered with a local index and reaches the other nodes at the one Redis gives it on write-back).
        // It keeps these three. See docs/consistency.md.
        // A deregistration acknowledged from memory during an outage dies with its node: a resurrection after that node was
        // killed is the same given-up durability, not a broken promise.
        var broken = report.Result.Anomalies.Where(a => a.Kind is AnomalyKind.PhantomRead or AnomalyKind.WatchOutOfOrder
            || a.Kind == AnomalyKind.Resurrected && !ReaderKilledAfterTheRemoval(report, a)).ToList();
        Assert.True(broken.Count == 0, report.Result.Summary() + $"history: {report.HistoryFile}");
        if (report.HistoryFile is not null)
            File.Delete(report.HistoryFile);
        CampaignAssert.NotVacuous(report);
    }

    /// <summary>Whether the node a resurrection was read on was killed after the removal was sent (a kill is recorded before its signal lands).</summary>
    private static bool ReaderKilledAfterTheRemoval(CampaignReport report, Anomaly resurrection)
    {
        var operations = report.Result.Operations.ToDictionary(o => o.Id);
        var read = operations[resurrection.Operations[0]];
        var removal = operations[resurrection.Operations[1]];
        var signalLatency = System.Diagnostics.Stopwatch.Frequency; // one second
        return report.Result.Operations.Any(o => o.Kind == OperationKind.Fault && o.Detail == $"kill {read.Node}"
            && o.Invoked > removal.Invoked - signalLatency && o.Invoked < read.Invoked);
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

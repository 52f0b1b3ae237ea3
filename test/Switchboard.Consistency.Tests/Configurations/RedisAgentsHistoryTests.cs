using Switchboard.Consistency.Tests.Campaign;
using Switchboard.Consistency.Tests.Checking;
using Switchboard.Consistency.Tests.Histories;
using Switchboard.Registry.Redis.Tests;

namespace Switchboard.Consistency.Tests.Configurations;

/// <summary>Two agents on one redis-server (<c>--store redis</c>), SIGKILLed (restarted on the same port) and paused while clients write and read through both.</summary>
public sealed class RedisAgentsHistoryTests
{
    [Fact]
    public async Task TwoAgentsOnRedis_KillNineAndPauses_NoAnomalyButTheKnownWatchOrder()
    {
        var output = TestContext.Current.TestOutputHelper!;
        var ns = "h" + Guid.NewGuid().ToString("N")[..8];
        await using var redis = await RedisServer.StartAsync();
        string[] args = ["--store", "redis", "--redis", redis.ConnectionString, "--redis-namespace", ns];
        await using var n1 = await AgentNode.StartAsync("n1", args, NodeId("n1"));
        await using var n2 = await AgentNode.StartAsync("n2", args, NodeId("n2"));
        var report = await HistoryCampaign.RunAsync("redis", CampaignSettings.FromEnvironment(), [n1, n2], Fault.Kill | Fault.Pause, output.WriteLine);

        // Known anomaly (docs/consistency.md, "Found"): a node publishes its own change's event at its provisional local index,
        // which can repeat or exceed the shared index of another node's change delivered after it. Remove this exception when fixed.
        var unexpected = report.Result.Anomalies.Where(a => a.Kind != AnomalyKind.WatchOutOfOrder).ToList();
        Assert.True(unexpected.Count == 0, report.Result.Summary() + $"history: {report.HistoryFile}");
        if (report.HistoryFile is not null && unexpected.Count == 0)
            File.Delete(report.HistoryFile);
        Assert.True(report.Result.FaultCount > 0, report.Result.Summary());
        foreach (var kind in new[] { OperationKind.Register, OperationKind.Deregister, OperationKind.Read, OperationKind.WatchEvent })
            Assert.Contains(report.Result.Operations, o => o.Kind == kind && o.Outcome == Outcome.Ok);
    }

    private static Dictionary<string, string> NodeId(string id) => new() { ["Switchboard__Store__Redis__NodeId"] = id };
}

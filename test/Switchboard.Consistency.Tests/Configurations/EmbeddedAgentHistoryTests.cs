using Switchboard.Consistency.Tests.Campaign;
using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests.Configurations;

/// <summary>One agent on the embedded store, SIGKILLed (restarted on the same port and data) and paused while clients work.</summary>
public sealed class EmbeddedAgentHistoryTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sb-history-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
            Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task OneAgentEmbeddedStore_KillNineAndPauses_HistoryHasNoAnomalies()
    {
        var output = TestContext.Current.TestOutputHelper!;
        await using var node = await AgentNode.StartAsync("n1", ["--data-dir", _dataDir]);
        var report = await HistoryCampaign.RunAsync("embedded", CampaignSettings.FromEnvironment(), [node], Fault.Kill | Fault.Pause, output.WriteLine);

        var operations = report.Result.Operations;
        Assert.True(report.Result.Valid, report.Result.Summary() + $"history: {report.HistoryFile}");
        // Not vacuous: faults were injected and each kind of operation was acknowledged at least once.
        Assert.True(report.Result.FaultCount > 0, report.Result.Summary());
        foreach (var kind in new[] { OperationKind.Register, OperationKind.Deregister, OperationKind.Read, OperationKind.WatchEvent })
            Assert.Contains(operations, o => o.Kind == kind && o.Outcome == Outcome.Ok);
    }
}

using Switchboard.Consistency.Tests.Campaign;

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

        Assert.True(report.Result.Valid, report.Result.Summary() + $"history: {report.HistoryFile}");
        CampaignAssert.NotVacuous(report);
    }
}

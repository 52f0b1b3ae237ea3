using Switchboard.Consistency.Tests.Campaign;
using Switchboard.Consistency.Tests.Checking;

namespace Switchboard.Consistency.Tests.Configurations;

/// <summary>The campaign can fail: an agent that keeps nothing (<c>--dev</c>) loses every acknowledged write when killed, and the checker notices.</summary>
public sealed class InMemoryAgentHistoryTests
{
    [Fact]
    public async Task InMemoryAgent_KillNine_CheckerReportsTheLostState()
    {
        var output = TestContext.Current.TestOutputHelper!;
        var settings = CampaignSettings.FromEnvironment() with { Duration = TimeSpan.FromSeconds(6) };
        await using var node = await AgentNode.StartAsync("n1", ["--dev"]);
        var report = await HistoryCampaign.RunAsync("in-memory", settings, [node], Fault.Kill, output.WriteLine);
        try
        {
            // Which symptom shows depends on the schedule: acknowledged writes missing at the end (when the clients did not
            // write them again after the last kill), or a client's index going back to what the empty agent counts.
            Assert.Contains(report.Result.Anomalies, a => a.Kind is AnomalyKind.LostWrite or AnomalyKind.IndexWentBack);
            Assert.NotNull(report.HistoryFile);
            Assert.True(File.Exists(report.HistoryFile));
        }
        finally
        {
            if (report.HistoryFile is not null)
                File.Delete(report.HistoryFile);
        }
    }
}

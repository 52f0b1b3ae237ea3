using Switchboard.Consistency.Tests.Campaign;
using Switchboard.Consistency.Tests.Checking;
using Switchboard.Consistency.Tests.Histories;

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
        // One kill after the clients stopped (healing restarts the agent, empty): what they had registered is gone for sure.
        var report = await HistoryCampaign.RunAsync("in-memory", settings, [node], Fault.None, output.WriteLine, lastFault: node.KillAsync);
        try
        {
            Assert.Contains(report.Result.Operations, o => o.Kind == OperationKind.Register && o.Outcome == Outcome.Ok);
            Assert.Contains(report.Result.Anomalies, a => a.Kind == AnomalyKind.LostWrite);
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

using Switchboard.Consistency.Tests.Campaign;
using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests.Configurations;

/// <summary>What every campaign must show for its verdict to mean something.</summary>
internal static class CampaignAssert
{
    /// <summary>Faults were injected and each kind of operation was acknowledged at least once.</summary>
    public static void NotVacuous(CampaignReport report)
    {
        Assert.True(report.Result.FaultCount > 0, report.Result.Summary());
        foreach (var kind in new[] { OperationKind.Register, OperationKind.Deregister, OperationKind.Read, OperationKind.WatchEvent })
            Assert.Contains(report.Result.Operations, o => o.Kind == kind && o.Outcome == Outcome.Ok);
    }
}

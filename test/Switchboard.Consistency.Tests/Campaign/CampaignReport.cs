using Switchboard.Consistency.Tests.Checking;

namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>What a campaign found.</summary>
/// <param name="Result">The checker's verdict on the history.</param>
/// <param name="HistoryFile">Where the history was written (JSON lines) when it has anomalies; else null.</param>
public sealed record CampaignReport(CheckResult Result, string? HistoryFile);

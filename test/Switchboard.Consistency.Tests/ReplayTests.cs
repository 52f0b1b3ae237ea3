using Switchboard.Consistency.Tests.Checking;
using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests;

/// <summary>Checks a saved history again: <c>SWITCHBOARD_HISTORY_REPLAY=/tmp/switchboard-history-....jsonl dotnet test test/Switchboard.Consistency.Tests</c>.</summary>
public sealed class ReplayTests
{
    [Fact]
    public void SavedHistory_CheckedAgain()
    {
        var path = Environment.GetEnvironmentVariable("SWITCHBOARD_HISTORY_REPLAY");
        Assert.SkipWhen(string.IsNullOrEmpty(path), "set SWITCHBOARD_HISTORY_REPLAY to a history file to check it again");
        var result = Checker.Check(History.Load(path!));
        TestContext.Current.TestOutputHelper!.WriteLine(result.Summary());
        Assert.True(result.Valid, result.Summary());
    }
}

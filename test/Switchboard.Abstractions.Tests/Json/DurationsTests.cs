using Switchboard.Json;

namespace Switchboard.Abstractions.Tests.Json;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("30", 30_000)]
    [InlineData("0.25", 250)]
    [InlineData("00:00:05", 5_000)]
    public void TryParse_Accepted(string text, double ms)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(ms, value.TotalMilliseconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("10x")]
    [InlineData("s")]
    [InlineData("NaN")]
    [InlineData("1e400")]
    public void TryParse_Rejected(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(250, "250ms")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(0, "0s")]
    public void Format_GoStyle(double ms, string expected) => Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(ms)));
}

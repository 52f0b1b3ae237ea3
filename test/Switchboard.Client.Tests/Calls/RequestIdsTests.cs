using Switchboard.Client.Calls;

namespace Switchboard.Client.Tests.Calls;

public sealed class RequestIdsTests
{
    [Fact]
    public void New_Is32LowercaseHexDigits()
    {
        var id = RequestIds.New();

        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public void New_TenThousandIdsFromSeveralThreads_AreAllDistinct()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 10_000, _ => ids.Add(RequestIds.New()));

        Assert.Equal(10_000, ids.Distinct(StringComparer.Ordinal).Count());
    }
}

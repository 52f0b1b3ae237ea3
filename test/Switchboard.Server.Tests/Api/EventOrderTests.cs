using Switchboard.Registry.Notifications;
using Switchboard.Server.Api;

namespace Switchboard.Server.Tests.Api;

/// <summary>An event stream sends its events in strictly increasing index order, or tells the subscriber to resynchronise.</summary>
public sealed class EventOrderTests
{
    [Fact]
    public void IncreasingIndexes_AllAdmitted()
    {
        var order = new EventOrder();

        Assert.True(order.Admits(3, reconciled: false));
        Assert.True(order.Admits(4, reconciled: false));
        Assert.True(order.Admits(90, reconciled: false));
        Assert.Null(order.Resync);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(5)]
    public void IndexNotAboveThePrevious_EndsTheStreamWithAResync(long next)
    {
        var order = new EventOrder();
        Assert.True(order.Admits(7, reconciled: false));

        Assert.False(order.Admits(next, reconciled: false));

        Assert.StartsWith(CatalogEventHub.ResyncPrefix, order.Resync!, StringComparison.Ordinal);
        Assert.Contains($"index {next} reached this agent after index 7", order.Resync!, StringComparison.Ordinal);
        Assert.False(order.Admits(100, reconciled: false)); // nothing more once it must resynchronise
    }

    [Fact]
    public void ReconciledChange_EndsTheStreamWithAResync()
    {
        var order = new EventOrder();
        Assert.True(order.Admits(7, reconciled: false));

        Assert.False(order.Admits(12, reconciled: true));

        Assert.Contains("reconciled its copy of the catalog", order.Resync!, StringComparison.Ordinal);
    }
}

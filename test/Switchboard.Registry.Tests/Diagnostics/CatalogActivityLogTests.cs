using Microsoft.Extensions.Logging;
using Switchboard.Registry.Diagnostics;

namespace Switchboard.Registry.Tests.Diagnostics;

/// <summary>Per-instance events are at Debug; one Information line per interval sums up the changes, none when nothing changed.</summary>
public sealed class CatalogActivityLogTests
{
    [Fact]
    public async Task Summary_CountsChangesByKind_ThenStaysQuietWithoutChanges()
    {
        var f = new CatalogFixture();
        var logger = new ListLogger<CatalogActivityLog>();
        var summary = new CatalogActivityLog(f.Catalog, f.Time, logger);
        var a = CatalogFixture.Instance(port: 1);
        await f.Catalog.RegisterAsync(a, TestContext.Current.CancellationToken);
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2), TestContext.Current.CancellationToken);
        await f.Catalog.DeregisterAsync(a.InstanceId, TestContext.Current.CancellationToken);

        summary.WriteSummary();
        summary.WriteSummary();

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(("CatalogActivity", LogLevel.Information), (entry.Event, entry.Level));
        Assert.Equal("Catalog changes since the last summary: 2 registered, 0 updated, 0 status_changed, 1 deregistered, 0 expired, 0 reaped; 1 instances now", entry.Message);
    }

    [Fact]
    public void ServiceLabel_PastTheCap_FoldsNewNamesIntoOther_AndKeepsKnownOnes()
    {
        var first = ServiceLabel.Of("label-cap-known");
        var labels = Enumerable.Range(0, ServiceLabel.Cap + 50).Select(i => ServiceLabel.Of($"label-cap-{i}")).ToHashSet();

        Assert.Equal("label-cap-known", first);
        Assert.Equal("label-cap-known", ServiceLabel.Of("label-cap-known"));
        Assert.Contains(ServiceLabel.Other, labels);
        Assert.True(labels.Count <= ServiceLabel.Cap + 1, $"{labels.Count} distinct labels");
    }
}

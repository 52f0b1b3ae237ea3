using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Registry.Catalog;

namespace Switchboard.Registry.Diagnostics;

/// <summary>
/// One Information line per <see cref="Interval"/> summing up the catalog's changes (registered, updated, status changed,
/// deregistered, expired, reaped), so that per-instance events can stay at Debug: 100,000 instances expiring at once
/// write one line, not 100,000. Nothing is written for an interval without changes.
/// </summary>
internal sealed partial class CatalogActivityLog(ServiceCatalog catalog, TimeProvider time, ILogger<CatalogActivityLog> logger) : BackgroundService
{
    /// <summary>How often the summary is written.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                WriteSummary();
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        WriteSummary(); // what happened since the last line
    }

    /// <summary>Writes the changes counted since the last summary, if any.</summary>
    public void WriteSummary()
    {
        var counts = catalog.Tally.Take();
        if (counts.All(c => c == 0))
            return;
        var parts = ChangeTally.Kinds.Select((kind, i) => $"{counts[i].ToString("N0", CultureInfo.InvariantCulture)} {kind}");
        Log.Summary(logger, string.Join(", ", parts), catalog.InstanceCount);
    }

    private static partial class Log
    {
        [LoggerMessage(49, LogLevel.Information, "Catalog changes since the last summary: {Changes}; {Instances} instances now", EventName = "CatalogActivity")]
        public static partial void Summary(ILogger logger, string changes, int instances);
    }
}

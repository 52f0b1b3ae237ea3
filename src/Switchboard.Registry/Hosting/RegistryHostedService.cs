using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Hosting;

/// <summary>Loads the catalog from its store at start, then runs the expiry sweep and the health checks until stop.</summary>
internal sealed partial class RegistryHostedService(ServiceCatalog catalog, HealthCheckScheduler checks, TimeProvider timeProvider, ILogger<RegistryHostedService> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loops = Task.CompletedTask;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The scheduler is constructed (and subscribed to the catalog) before loading, so restored instances are probed.
        _ = checks.Scheduled;
        await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
        _loops = Task.WhenAll(
            SweepLoopAsync(_stopping.Token),
            checks.RunAsync(TimeSpan.FromMilliseconds(100), _stopping.Token));
    }

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(catalog.Options.SweepInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await catalog.SweepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SweepNotSaved(logger, ex); // the store failed a change; the next sweep goes on
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loops.WaitAsync(cancellationToken).ConfigureAwait(false);
        await catalog.Store.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(30, LogLevel.Warning, "A change made by the expiry sweep could not be saved", EventName = "SweepNotSaved")]
        public static partial void SweepNotSaved(ILogger logger, Exception exception);
    }
}

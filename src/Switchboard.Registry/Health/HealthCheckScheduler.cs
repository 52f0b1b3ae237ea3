using Microsoft.Extensions.Logging;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;

namespace Switchboard.Registry.Health;

/// <summary>
/// Runs the HTTP and TCP checks of every instance on its interval. Each instance's first probe is placed at a
/// random point of its first interval, so many registrations at once do not probe in one burst; probes run
/// at most <see cref="RegistryOptions.MaxConcurrentChecks"/> at a time.
/// </summary>
public sealed partial class HealthCheckScheduler : IDisposable
{
    private readonly PriorityQueue<(CheckRuntime Check, int Generation), long> _queue = new();
    private readonly Lock _gate = new();
    private readonly ServiceCatalog _catalog;
    private readonly IHealthProbe _probe;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _concurrency;
    private readonly ILogger<HealthCheckScheduler> _logger;

    /// <summary>Creates the scheduler and starts tracking the catalog's instances.</summary>
    public HealthCheckScheduler(ServiceCatalog catalog, IHealthProbe probe, TimeProvider timeProvider, ILogger<HealthCheckScheduler> logger)
    {
        _catalog = catalog;
        _probe = probe;
        _time = timeProvider;
        _logger = logger;
        _concurrency = new SemaphoreSlim(catalog.Options.MaxConcurrentChecks);
        catalog.ActiveCheckScheduled += Schedule;
    }

    /// <summary>How many instances are scheduled for probing.</summary>
    public int Scheduled
    {
        get
        {
            lock (_gate)
                return _queue.Count;
        }
    }

    private void Schedule(CheckRuntime check)
    {
        if (!check.IsActive)
            return;
        var interval = check.Spec.EffectiveInterval;
        var jitter = (long)(Random.Shared.NextDouble() * interval.Ticks);
        var generation = Interlocked.Increment(ref check.ProbeGeneration);
        lock (_gate)
            _queue.Enqueue((check, generation), _time.GetUtcNow().UtcTicks + jitter);
    }

    private bool IsCurrent(CheckRuntime check, int generation)
        => !check.Owner.Removed && generation == Volatile.Read(ref check.ProbeGeneration) && check.Owner.Checks.Contains(check);

    /// <summary>The time of the earliest scheduled probe, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
                return _queue.TryPeek(out _, out var due) ? new DateTimeOffset(due, TimeSpan.Zero) : null;
        }
    }

    /// <summary>Starts every probe that is due and returns when they have all finished and been applied.</summary>
    /// <returns>How many probes ran.</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        if (!_catalog.RunsDeadlines)
            return 0; // another node of the cluster probes, or the shared state cannot be seen
        var now = _time.GetUtcNow().UtcTicks;
        var due = new List<(CheckRuntime Check, int Generation, long Due)>();
        lock (_gate)
        {
            while (_queue.TryPeek(out var entry, out var at) && at <= now)
            {
                _queue.Dequeue();
                if (IsCurrent(entry.Check, entry.Generation))
                    due.Add((entry.Check, entry.Generation, at));
            }
        }
        if (due.Count == 0)
            return 0;
        await Task.WhenAll(due.Select(d => ProbeAsync(d.Check, d.Generation, d.Due, cancellationToken))).ConfigureAwait(false);
        return due.Count;
    }

    private async Task ProbeAsync(CheckRuntime check, int generation, long due, CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        (HealthStatus Status, string Output) result;
        try
        {
            result = await _probe.ProbeAsync(check.Owner.Instance, check.Spec, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ProbeFailed(_logger, check.CheckId, ex);
            result = (HealthStatus.Critical, $"check failed: {ex.Message}");
        }
        finally
        {
            _concurrency.Release();
        }
        if (!IsCurrent(check, generation))
            return;
        try
        {
            await _catalog.ApplyProbeResult(check, result.Status, result.Output).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ResultNotSaved(_logger, check.CheckId, ex); // the store failed; the check keeps its schedule
        }
        var interval = check.Spec.EffectiveInterval.Ticks;
        var now = _time.GetUtcNow().UtcTicks;
        var next = due + interval;
        lock (_gate)
            _queue.Enqueue((check, generation), next > now ? next : now + interval);
    }

    /// <summary>Probes on schedule until <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(TimeSpan tick, CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        using var timer = new PeriodicTimer(tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunDueAsync(stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // probes cancelled by shutdown
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _catalog.ActiveCheckScheduled -= Schedule;
        _concurrency.Dispose();
    }
}

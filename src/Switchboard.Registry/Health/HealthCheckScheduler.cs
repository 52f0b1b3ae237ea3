using Microsoft.Extensions.Logging;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;

namespace Switchboard.Registry.Health;

/// <summary>
/// Runs the HTTP and TCP checks of every instance, each on its own interval. Each check's first probe is placed at a
/// random point of its first interval, so many registrations at once do not probe in one burst. A probe is started when
/// it is due and never awaited by the schedule, so a slow or hanging target costs only its own check its timeout.
/// </summary>
/// <remarks>
/// At most <see cref="RegistryOptions.MaxConcurrentChecks"/> probes run at once (a probe holds one socket while it runs).
/// Checks not known to answer (not probed yet, or whose last probe hung) get at most three quarters of the slots; when
/// the limit is reached, checks whose last probe answered are started first, targets (host:port) take turns, and a
/// probe that starts more than half an interval late is counted in <see cref="LateProbes"/> and summarised in one
/// warning per 30 s. A check is never probed again while its previous probe runs: its next due time is computed when the
/// probe ends.
/// </remarks>
internal sealed partial class HealthCheckScheduler : IDisposable
{
    private readonly PriorityQueue<(CheckRuntime Check, int Generation), long> _queue = new();
    private readonly HashSet<string> _probing = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _running = [];
    private readonly Lock _gate = new();
    private readonly ServiceCatalog _catalog;
    private readonly IHealthProbe _probe;
    private readonly TimeProvider _time;
    private readonly ProbeSlots _slots;
    private readonly LateProbeCounter _late = new();
    private readonly ILogger<HealthCheckScheduler> _logger;

    /// <summary>Creates the scheduler and starts tracking the catalog's instances.</summary>
    public HealthCheckScheduler(ServiceCatalog catalog, IHealthProbe probe, TimeProvider timeProvider, ILogger<HealthCheckScheduler> logger)
    {
        _catalog = catalog;
        _probe = probe;
        _time = timeProvider;
        _logger = logger;
        _slots = new ProbeSlots(catalog.Options.MaxConcurrentChecks);
        catalog.ActiveCheckScheduled += Schedule;
    }

    /// <summary>How many checks are waiting for their next probe (checks whose probe is running are not counted).</summary>
    public int Scheduled
    {
        get
        {
            lock (_gate)
                return _queue.Count;
        }
    }

    /// <summary>How many probes are running now (each holds one of the <see cref="RegistryOptions.MaxConcurrentChecks"/> slots).</summary>
    public int Running => _slots.InUse;

    /// <summary>How many due probes wait for a slot because <see cref="RegistryOptions.MaxConcurrentChecks"/> probes are running.</summary>
    public int WaitingForSlot => _slots.Waiting;

    /// <summary>How many probes, since start, began more than half their check's interval (and at least 200 ms) after they were due.</summary>
    public long LateProbes => _late.Total;

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

    /// <summary>
    /// Starts every probe that is due and returns without waiting for them; this is what the background loop does on each
    /// tick. A probe that finishes synchronously (a fake probe) has been applied when this returns.
    /// </summary>
    /// <returns>How many probes were started.</returns>
    public int StartDue(CancellationToken cancellationToken = default) => Start(cancellationToken).Count;

    /// <summary>
    /// Starts every probe that is due and returns when those probes have finished and been applied (for tests on fake
    /// time whose probes do not wait on that time; the background loop uses <see cref="StartDue"/>).
    /// </summary>
    /// <returns>How many probes ran.</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var started = Start(cancellationToken);
        await Task.WhenAll(started).ConfigureAwait(false);
        return started.Count;
    }

    private List<Task> Start(CancellationToken cancellationToken)
    {
        var started = new List<Task>();
        if (!_catalog.RunsDeadlines)
            return started; // another node of the cluster probes, or the shared state cannot be seen
        var now = _time.GetUtcNow().UtcTicks;
        var due = new List<(CheckRuntime Check, int Generation, long Due)>();
        lock (_gate)
        {
            while (_queue.TryPeek(out var entry, out var at) && at <= now)
            {
                _queue.Dequeue();
                if (!IsCurrent(entry.Check, entry.Generation))
                    continue;
                if (!_probing.Add(entry.Check.CheckId))
                {
                    // The probe of the check this one replaced (a re-registration) still runs: wait a turn rather than overlap.
                    _queue.Enqueue(entry, now + entry.Check.Spec.EffectiveInterval.Ticks);
                    continue;
                }
                due.Add((entry.Check, entry.Generation, at));
            }
        }
        foreach (var (check, generation, at) in due)
        {
            var probe = ProbeAsync(check, generation, at, cancellationToken);
            started.Add(probe);
            if (!probe.IsCompleted)
                Track(probe);
        }
        if (_late.TryTakeSummary(now, out var late, out var worst))
            Log.LateProbes(_logger, late, worst.TotalSeconds, _slots.InUse, _slots.Limit, _slots.Waiting);
        return started;
    }

    private void Track(Task probe)
    {
        lock (_gate)
            _running.Add(probe);
        probe.ContinueWith(
            (t, self) =>
            {
                var scheduler = (HealthCheckScheduler)self!;
                lock (scheduler._gate)
                    scheduler._running.Remove(t);
            },
            this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task ProbeAsync(CheckRuntime check, int generation, long due, CancellationToken cancellationToken)
    {
        try
        {
            var slow = !check.AnsweredLastProbe;
            await _slots.WaitAsync(ProbeTarget.Of(check.Owner.Instance, check.Spec), slow, cancellationToken).ConfigureAwait(false);
            var started = _time.GetUtcNow().UtcTicks;
            _late.Record(due, started, check.Spec.EffectiveInterval);
            (HealthStatus Status, string Output) result;
            using (var span = ProbeSpan.Start(check))
            {
                var timer = _time.GetTimestamp();
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
                    _slots.Release(slow);
                }
                ProbeSpan.End(span, check, result.Status, _time.GetElapsedTime(timer));
            }
            check.AnsweredLastProbe = _time.GetUtcNow().UtcTicks - started < check.Spec.EffectiveTimeout.Ticks;
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
        finally
        {
            lock (_gate)
                _probing.Remove(check.CheckId);
        }
    }

    /// <summary>Starts due probes on every <paramref name="tick"/> until <paramref name="stoppingToken"/> fires, then waits for the running ones to end.</summary>
    public async Task RunAsync(TimeSpan tick, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                StartDue(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        Task[] running;
        lock (_gate)
            running = [.. _running];
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
    public void Dispose() => _catalog.ActiveCheckScheduled -= Schedule;
}

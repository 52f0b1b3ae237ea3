namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>The optimizer's own state: the emergency stop latch, the run lock (one optimization at a time), the last run.</summary>
internal sealed class OptimizerState(TimeProvider time) : IDisposable
{
    private readonly Lock _lock = new();
    private EmergencyLatch _latch = new(false, null, null);
    private OptimizationSummary? _last;
    private int _runs;

    /// <summary>Held while an optimization runs: gate commands of two runs never interleave.</summary>
    public SemaphoreSlim RunLock { get; } = new(1, 1);

    /// <summary>The emergency stop latch.</summary>
    public EmergencyLatch Emergency
    {
        get
        {
            lock (_lock)
                return _latch;
        }
    }

    /// <summary>Optimizations completed since start.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>The last optimization, if any.</summary>
    public OptimizationSummary? Last
    {
        get
        {
            lock (_lock)
                return _last;
        }
    }

    /// <summary>Latches the stop (keeping the first reason and time when already latched).</summary>
    public EmergencyLatch Stop(string? reason)
    {
        lock (_lock)
            return _latch = _latch.Active ? _latch : new EmergencyLatch(true, reason ?? "operator request", time.GetUtcNow());
    }

    /// <summary>Releases the latch.</summary>
    public void Reset()
    {
        lock (_lock)
            _latch = new EmergencyLatch(false, null, null);
    }

    /// <summary>Remembers a finished run.</summary>
    public void Completed(OptimizationResult result)
    {
        lock (_lock)
            _last = new OptimizationSummary(result.OptimizationId, result.RequestId, result.Status, result.CompletedAt, result.Warnings.Count);
        Interlocked.Increment(ref _runs);
    }

    public void Dispose() => RunLock.Dispose();
}

/// <summary>The optimizer's emergency stop latch.</summary>
/// <param name="Active">Whether optimizations are refused.</param>
/// <param name="Reason">Why it was latched.</param>
/// <param name="Since">When.</param>
public sealed record EmergencyLatch(bool Active, string? Reason, DateTimeOffset? Since);

/// <summary>The last optimization, as shown by <c>integrated/status</c>.</summary>
/// <param name="OptimizationId">Its id.</param>
/// <param name="RequestId">Its X-Request-ID.</param>
/// <param name="Status">optimized or partial.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="Warnings">How many warnings it had.</param>
public sealed record OptimizationSummary(string OptimizationId, string RequestId, string Status, DateTimeOffset CompletedAt, int Warnings);

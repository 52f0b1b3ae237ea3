using System.Collections.Concurrent;

namespace Switchboard.Client.Resilience;

/// <summary>
/// Cancels call deadlines with one shared timer that ticks every <see cref="Resolution"/> while any deadline is armed,
/// instead of one runtime timer per deadline. Arming and releasing a deadline are a few atomic operations; a runtime
/// timer per call takes its timer queue's lock (one queue per processor, shared by every timer on it) when it is set
/// and again when it is cancelled, which was the most contended point of the call pipeline under concurrency
/// (docs/benchmarks.md). The same design as Kestrel's connection timeouts: a deadline fires at the first tick at or
/// after it, so up to one resolution late. The timer stops when no deadline is armed.
/// </summary>
internal sealed class DeadlineScheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<Deadline> _free = new();
    // A few released deadlines per processor, taken before the shared queue: every core hammering one queue cost
    // more than the rest of arming. Per processor rather than per thread, so that none is stranded when a pool
    // thread retires. Each processor's slots sit a stride apart so that no two processors write one cache line.
    private readonly Deadline?[] _perProcessor = new Deadline?[Environment.ProcessorCount * SlotStride];
    private Deadline[] _all = [];
    private int _running;

    private const int SlotsPerProcessor = 4;

    // 16 references = 128 bytes between the first slots of two processors: their 4 slots never share a 64-byte line.
    private const int SlotStride = 16;

    /// <param name="time">The clock that measures the deadlines and drives the ticks.</param>
    /// <param name="resolution">How often armed deadlines are checked.</param>
    public DeadlineScheduler(TimeProvider time, TimeSpan resolution)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(resolution, TimeSpan.Zero);
        _time = time;
        Resolution = resolution;
        _timer = time.CreateTimer(static s => ((DeadlineScheduler)s!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The scheduler of the system clock, shared by every pipeline of the process (10 ms resolution).</summary>
    public static DeadlineScheduler System { get; } = new(TimeProvider.System, TimeSpan.FromMilliseconds(10));

    /// <summary>How often armed deadlines are checked: how late a deadline may fire at most.</summary>
    public TimeSpan Resolution { get; }

    /// <summary>Deadlines created so far: the most that were armed at once (released ones are reused).</summary>
    public int Count => Volatile.Read(ref _all).Length;

    /// <summary>A deadline <paramref name="timeout"/> from now; its token is cancelled when it passes. Give it back with <see cref="Release"/>.</summary>
    public Deadline Arm(TimeSpan timeout)
    {
        var deadline = TakeFree() ?? Add(new Deadline());
        var now = _time.GetTimestamp();
        var ticks = timeout.TotalSeconds * _time.TimestampFrequency;
        // Saturate rather than overflow: an absurdly long timeout never fires instead of firing at once.
        var due = ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
        // A full fence between arming and reading _running, paired with the one in Tick between clearing _running and
        // reading the deadlines: either this sees the timer stopping, or the tick sees this deadline.
        Interlocked.Exchange(ref deadline.Due, Math.Max(due, 1));
        EnsureRunning();
        return deadline;
    }

    /// <summary>
    /// Disarms <paramref name="deadline"/> and keeps it for reuse: its token source reset (registrations left on it
    /// removed), or a fresh one if it was cancelled (by this scheduler or through a linked token).
    /// </summary>
    public void Release(Deadline deadline)
    {
        if (Interlocked.Exchange(ref deadline.Due, 0) == 0 || !deadline.Source.TryReset())
            deadline.Source = new CancellationTokenSource();
        var first = FirstSlot();
        for (var i = first; i < first + SlotsPerProcessor; i++)
        {
            if (Volatile.Read(ref _perProcessor[i]) is null && Interlocked.CompareExchange(ref _perProcessor[i], deadline, null) is null)
                return;
        }
        _free.Enqueue(deadline);
    }

    public void Dispose() => _timer.Dispose();

    private Deadline? TakeFree()
    {
        var first = FirstSlot();
        for (var i = first; i < first + SlotsPerProcessor; i++)
        {
            if (Volatile.Read(ref _perProcessor[i]) is not null && Interlocked.Exchange(ref _perProcessor[i], null) is { } local)
                return local;
        }
        if (_free.TryDequeue(out var shared))
            return shared;
        // Before creating one, any other processor's: a released deadline is never passed over.
        for (var i = 0; i < _perProcessor.Length; i++)
        {
            if (Volatile.Read(ref _perProcessor[i]) is not null && Interlocked.Exchange(ref _perProcessor[i], null) is { } other)
                return other;
        }
        return null;
    }

    private int FirstSlot() => Thread.GetCurrentProcessorId() % Environment.ProcessorCount * SlotStride;

    private Deadline Add(Deadline deadline)
    {
        lock (_gate)
            _all = [.. _all, deadline];
        return deadline;
    }

    private void Tick()
    {
        var now = _time.GetTimestamp();
        var armed = false;
        foreach (var deadline in Volatile.Read(ref _all))
        {
            var due = Volatile.Read(ref deadline.Due);
            if (due == 0)
                continue;
            if (due > now)
            {
                armed = true;
                continue;
            }
            // Read the source before claiming the deadline: once claimed, its owner may replace the source.
            var source = deadline.Source;
            if (Interlocked.CompareExchange(ref deadline.Due, 0, due) == due)
                Cancel(source);
        }
        if (!armed)
            StopUnlessArmed();
    }

    private static void Cancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (AggregateException)
        {
            // A callback registered on the call's token threw; the cancellation itself happened.
        }
    }

    private void StopUnlessArmed()
    {
        Interlocked.Exchange(ref _running, 0);
        foreach (var deadline in Volatile.Read(ref _all))
        {
            if (Volatile.Read(ref deadline.Due) != 0)
            {
                EnsureRunning();
                return;
            }
        }
        lock (_gate)
        {
            if (_running == 0)
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private void EnsureRunning()
    {
        if (Volatile.Read(ref _running) == 1 || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
            return;
        lock (_gate)
            _timer.Change(Resolution, Resolution);
    }

    /// <summary>One reusable deadline: a token source and the timestamp at which the scheduler cancels it (0 when disarmed).</summary>
    internal sealed class Deadline
    {
        internal long Due;

        /// <summary>The source whose token the deadline cancels.</summary>
        public CancellationTokenSource Source { get; set; } = new();
    }
}

namespace Switchboard.Registry.Health;

/// <summary>
/// Counts probes that started late: more than half their check's interval (and at least <see cref="MinimumLateness"/>)
/// after they were due, because every probe slot was taken. The count since the last summary is handed out at most once
/// per <see cref="SummaryPeriod"/>, so a saturated scheduler logs one line per period rather than one per probe.
/// </summary>
internal sealed class LateProbeCounter
{
    /// <summary>Lateness below this is the scheduler's own tick, never reported.</summary>
    public static readonly TimeSpan MinimumLateness = TimeSpan.FromMilliseconds(200);

    /// <summary>The shortest time between two summaries.</summary>
    public static readonly TimeSpan SummaryPeriod = TimeSpan.FromSeconds(30);

    private long _total;
    private long _sinceSummary;
    private long _maxLatenessTicks;
    private long _lastSummary = long.MinValue;

    /// <summary>Every late probe since start.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Whether a probe due at <paramref name="due"/> and starting at <paramref name="now"/> (UTC ticks) is late; counts it when it is.</summary>
    public bool Record(long due, long now, TimeSpan interval)
    {
        var lateness = now - due;
        if (lateness <= Math.Max(interval.Ticks / 2, MinimumLateness.Ticks))
            return false;
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _sinceSummary);
        long max;
        while (lateness > (max = Interlocked.Read(ref _maxLatenessTicks)) && Interlocked.CompareExchange(ref _maxLatenessTicks, lateness, max) != max)
        {
            // another probe raised the maximum meanwhile; try again
        }
        return true;
    }

    /// <summary>
    /// When a summary is due at <paramref name="now"/> (UTC ticks) and probes were late since the last one: their count and
    /// the worst lateness, and the counters restart; otherwise false.
    /// </summary>
    public bool TryTakeSummary(long now, out long count, out TimeSpan worst)
    {
        count = 0;
        worst = TimeSpan.Zero;
        var last = Interlocked.Read(ref _lastSummary);
        if (Interlocked.Read(ref _sinceSummary) == 0 || last != long.MinValue && now - last < SummaryPeriod.Ticks
            || Interlocked.CompareExchange(ref _lastSummary, now, last) != last)
            return false;
        count = Interlocked.Exchange(ref _sinceSummary, 0);
        worst = TimeSpan.FromTicks(Interlocked.Exchange(ref _maxLatenessTicks, 0));
        return count > 0;
    }
}

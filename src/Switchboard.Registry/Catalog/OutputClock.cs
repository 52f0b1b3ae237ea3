namespace Switchboard.Registry.Catalog;

/// <summary>
/// Counts changes of one service's latest check outputs. An output-only change bumps no index and publishes no view,
/// so an answer that shows outputs (Consul's health checks) and is cached on a view is current only while this count
/// has not moved. Owned by the service's entry and shared by its views.
/// </summary>
internal sealed class OutputClock
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    /// <summary>Called after the output was written, so a reader that saw the old count rebuilds with the new output.</summary>
    public void Tick() => Interlocked.Increment(ref _value);
}

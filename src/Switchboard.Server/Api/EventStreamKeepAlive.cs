namespace Switchboard.Server.Api;

/// <summary>
/// The keep-alive tick every event stream shares: every <see cref="Interval"/> on the injected clock, each stream waiting
/// for events writes a comment line, so proxies do not close an idle stream. One timer for all streams.
/// </summary>
/// <remarks>
/// The tick is a token cancelled at the next tick, not a task: a stream waits for its events or the tick with
/// <c>WaitAsync(token)</c>, whose registration leaves the token in O(1) when the events come first. A shared task waited on
/// with <c>Task.WhenAny</c> kept one continuation per stream, and each stream woken by an event removed its own with a
/// linear search: with 10,000 subscribers of one service, one event cost 10,000 searches of a 10,000-entry list.
/// </remarks>
internal sealed class EventStreamKeepAlive : IDisposable
{
    /// <summary>How often the tick comes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly ITimer _timer;
    private CancellationTokenSource _tick = new();

    /// <summary>Starts ticking on <paramref name="timeProvider"/>.</summary>
    public EventStreamKeepAlive(TimeProvider timeProvider)
        => _timer = timeProvider.CreateTimer(static state => ((EventStreamKeepAlive)state!).Tick(), this, Interval, Interval);

    /// <summary>Cancelled at the next tick.</summary>
    public CancellationToken Next => Volatile.Read(ref _tick).Token;

    // The callbacks (one per waiting stream) run on the thread pool, not on the timer's thread. The old source is not
    // disposed: streams may still remove their registrations from it, and without a timer or wait handle it holds nothing.
    private void Tick() => _ = Interlocked.Exchange(ref _tick, new CancellationTokenSource()).CancelAsync();

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}

namespace Switchboard.Server.Api;

/// <summary>
/// The keep-alive tick every event stream shares: every <see cref="Interval"/> on the injected clock, each stream waiting
/// for events writes a comment line, so proxies do not close an idle stream. One timer for all streams.
/// </summary>
internal sealed class EventStreamKeepAlive : IDisposable
{
    /// <summary>How often the tick comes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly ITimer _timer;
    private TaskCompletionSource _tick = NewTick();

    /// <summary>Starts ticking on <paramref name="timeProvider"/>.</summary>
    public EventStreamKeepAlive(TimeProvider timeProvider)
        => _timer = timeProvider.CreateTimer(static state => ((EventStreamKeepAlive)state!).Tick(), this, Interval, Interval);

    /// <summary>Completes at the next tick.</summary>
    public Task Next => Volatile.Read(ref _tick).Task;

    private void Tick() => Interlocked.Exchange(ref _tick, NewTick()).TrySetResult();

    private static TaskCompletionSource NewTick() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}

using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Api;

/// <summary>
/// The keep-alive tick every event stream shares: every <see cref="Interval"/> on the injected clock, each stream waiting
/// for events writes a comment line, so proxies do not close an idle stream. One timer for all streams.
/// </summary>
/// <remarks>
/// The tick nudges each waiting subscription (<c>CatalogEventHub.NudgeAll</c>): its own wait completes with
/// <c>Nudged</c>. A stream waits on one task of its own, completed by an event, the end of its subscription or this tick,
/// so nothing is registered on a shared token or task per wait (a shared task waited on with <c>Task.WhenAny</c> kept one
/// continuation per stream, which each stream woken by an event removed with a linear search; a shared token cost a
/// registration and a promise per wait).
/// </remarks>
internal sealed class EventStreamKeepAlive : IDisposable
{
    /// <summary>How often the tick comes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly ITimer _timer;

    /// <summary>Starts ticking on <paramref name="timeProvider"/> for the streams of <paramref name="catalog"/>.</summary>
    public EventStreamKeepAlive(TimeProvider timeProvider, ServiceCatalog catalog)
        => _timer = timeProvider.CreateTimer(static state => ((ServiceCatalog)state!).Events.NudgeAll(), catalog, Interval, Interval);

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}

using Switchboard.Api;

namespace Switchboard.Registry.Notifications;

/// <summary>Fans catalog changes out to event-stream subscribers without ever blocking or slowing a write.</summary>
/// <remarks>
/// Each change becomes one <see cref="CatalogEventFrame"/>, serialized once however many subscribers there are. Each
/// subscriber has a bounded backlog; one that falls further behind is cut off (<see cref="Subscription.CutOffReason"/>,
/// <see cref="Subscription.CutOff"/>, then its stream completes): events are never dropped silently, so a subscriber that
/// sees its stream end without a reason has every event, and one cut off knows it must resynchronise.
/// </remarks>
public sealed partial class CatalogEventHub
{
    /// <summary>The backlog a subscriber gets when it names none.</summary>
    public const int DefaultBacklog = 1024;

    private readonly Lock _gate = new();
    private readonly Func<CatalogEvent, byte[]> _serialize;
    private Subscription[] _subscribers = [];

    /// <summary>A hub writing the standard SSE frames (<see cref="CatalogEventFrame.Format"/>).</summary>
    public CatalogEventHub()
        : this(CatalogEventFrame.Format)
    {
    }

    /// <summary>A hub serializing frames with <paramref name="serialize"/> (tests count the calls).</summary>
    internal CatalogEventHub(Func<CatalogEvent, byte[]> serialize) => _serialize = serialize;

    /// <summary>How many subscribers are connected.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Starts receiving events; dispose the result to stop.</summary>
    /// <param name="backlog">How many events may wait unread before the subscriber is cut off.</param>
    /// <param name="serviceName">Only this service's events (they alone count against the backlog); null for all.</param>
    public Subscription Subscribe(int backlog = DefaultBacklog, string? serviceName = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(backlog, 1);
        var subscription = new Subscription(this, backlog, string.IsNullOrEmpty(serviceName) ? null : serviceName);
        lock (_gate)
            _subscribers = [.. _subscribers, subscription];
        return subscription;
    }

    /// <summary>Hands <paramref name="change"/> to every subscriber (whose filter it matches); never waits.</summary>
    internal void Publish(CatalogEvent change)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
            return;
        var frame = new CatalogEventFrame(change, _serialize);
        foreach (var subscriber in subscribers)
            subscriber.Offer(frame);
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
            _subscribers = Array.FindAll(_subscribers, s => s != subscription);
    }
}

using System.Threading.Channels;
using Switchboard.Api;

namespace Switchboard.Registry.Notifications;

/// <summary>Fans catalog changes out to event-stream subscribers without ever blocking a write.</summary>
/// <remarks>Each subscriber has a bounded buffer; a subscriber that falls more than its capacity behind loses the oldest events and should resynchronise from the instances route.</remarks>
public sealed class CatalogEventHub
{
    private readonly Lock _gate = new();
    private Channel<CatalogEvent>[] _subscribers = [];

    /// <summary>How many subscribers are connected.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Starts receiving events; dispose the result to stop.</summary>
    /// <param name="capacity">How many events may wait unread before the oldest are dropped.</param>
    public Subscription Subscribe(int capacity = 4096)
    {
        var channel = Channel.CreateBounded<CatalogEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_gate)
            _subscribers = [.. _subscribers, channel];
        return new Subscription(this, channel);
    }

    internal void Publish(CatalogEvent change)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber.Writer.TryWrite(change);
    }

    private void Remove(Channel<CatalogEvent> channel)
    {
        lock (_gate)
            _subscribers = Array.FindAll(_subscribers, c => c != channel);
        channel.Writer.TryComplete();
    }

    /// <summary>One subscriber's stream of events.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly CatalogEventHub _hub;
        private readonly Channel<CatalogEvent> _channel;

        internal Subscription(CatalogEventHub hub, Channel<CatalogEvent> channel)
        {
            _hub = hub;
            _channel = channel;
        }

        /// <summary>The events, in index order.</summary>
        public ChannelReader<CatalogEvent> Events => _channel.Reader;

        /// <inheritdoc />
        public void Dispose() => _hub.Remove(_channel);
    }
}

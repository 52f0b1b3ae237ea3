using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading.Channels;
using Switchboard.Api;

namespace Switchboard.Registry.Notifications;

public sealed partial class CatalogEventHub
{
    /// <summary>One subscriber's stream of events, in index order, with a bounded backlog.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly CatalogEventHub _hub;
        private readonly Channel<CatalogEventFrame> _channel;
        private readonly CancellationTokenSource _cutOff = new();
        private string? _cutOffReason;

        internal Subscription(CatalogEventHub hub, int backlog, string? serviceName)
        {
            _hub = hub;
            Backlog = backlog;
            ServiceName = serviceName;
            _channel = Channel.CreateBounded<CatalogEventFrame>(new BoundedChannelOptions(backlog)
            {
                FullMode = BoundedChannelFullMode.Wait, // never waits: TryWrite fails instead, and that cuts the subscriber off
                SingleReader = true,
                SingleWriter = false,
            });
            Events = new EventReader(_channel.Reader);
        }

        /// <summary>How many events may wait unread before the subscriber is cut off.</summary>
        public int Backlog { get; }

        /// <summary>The one service whose events it receives; null for all.</summary>
        public string? ServiceName { get; }

        /// <summary>The frames (event and shared SSE bytes); completes when the subscriber is cut off.</summary>
        public ChannelReader<CatalogEventFrame> Frames => _channel.Reader;

        /// <summary>The events alone, read from <see cref="Frames"/>.</summary>
        public ChannelReader<CatalogEvent> Events { get; }

        /// <summary>Why the hub cut the subscriber off (it fell more than <see cref="Backlog"/> events behind); null while it keeps up.</summary>
        public string? CutOffReason => Volatile.Read(ref _cutOffReason);

        /// <summary>Cancelled when the subscriber is cut off, so a write blocked on a reader that stopped reading can give up.</summary>
        public CancellationToken CutOff => _cutOff.Token;

        internal void Offer(CatalogEventFrame frame)
        {
            if (ServiceName is not null && !string.Equals(ServiceName, frame.Event.ServiceName, StringComparison.Ordinal))
                return;
            if (_channel.Writer.TryWrite(frame) || CutOffReason is not null)
                return;
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"the subscriber fell more than {Backlog} events behind (at index {frame.Event.Index}); read the current state and subscribe again");
            if (Interlocked.CompareExchange(ref _cutOffReason, reason, null) is not null)
                return;
            _channel.Writer.TryComplete();
            _hub.Remove(this);
            _ = _cutOff.CancelAsync(); // callbacks run on the thread pool, never on the writer's thread
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _hub.Remove(this);
            _channel.Writer.TryComplete();
            // _cutOff is not disposed: a publish that took this subscriber from the list before Dispose may still cancel it.
        }

        /// <summary>Reads the events of a frame reader.</summary>
        private sealed class EventReader(ChannelReader<CatalogEventFrame> frames) : ChannelReader<CatalogEvent>
        {
            public override Task Completion => frames.Completion;

            public override bool CanCount => frames.CanCount;

            public override int Count => frames.Count;

            public override bool TryRead([MaybeNullWhen(false)] out CatalogEvent item)
            {
                var read = frames.TryRead(out var frame);
                item = frame?.Event;
                return read;
            }

            public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => frames.WaitToReadAsync(cancellationToken);
        }
    }
}

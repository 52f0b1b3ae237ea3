using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading.Channels;
using Switchboard.Api;

namespace Switchboard.Registry.Notifications;

internal sealed partial class CatalogEventHub
{
    /// <summary>One subscriber's stream of events, in index order: a cursor into the hub's shared log, with a bounded backlog.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly CatalogEventHub _hub;
        private readonly ServiceCount? _serviceCount;
        private readonly CancellationTokenSource _cutOff = new();
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource<SubscriptionWake>? _waiter;
        private int _nudgePending;
        private Node _cursor;
        private long _readSequence;
        private long _readServiceSequence;
        private long _lastReadable = long.MaxValue;
        private string? _cutOffReason;

        internal Subscription(CatalogEventHub hub, int backlog, string? serviceName, ServiceCount? serviceCount, Node start)
        {
            _hub = hub;
            Backlog = backlog;
            ServiceName = serviceName;
            _serviceCount = serviceCount;
            _cursor = start;
            _readSequence = start.Sequence;
            _readServiceSequence = serviceCount is null ? 0 : start.ServiceSequence;
            Frames = new FrameReader(this);
            Events = new EventReader(Frames);
        }

        /// <summary>How many events may wait unread before the subscriber is cut off.</summary>
        public int Backlog { get; }

        /// <summary>The one service whose events it receives; null for all.</summary>
        public string? ServiceName { get; }

        /// <summary>The frames (event and shared SSE bytes); completes when the subscriber is cut off or disposed.</summary>
        public ChannelReader<CatalogEventFrame> Frames { get; }

        /// <summary>The events alone, read from <see cref="Frames"/>.</summary>
        public ChannelReader<CatalogEvent> Events { get; }

        /// <summary>Why the hub cut the subscriber off (it fell more than <see cref="Backlog"/> events behind); null while it keeps up.</summary>
        public string? CutOffReason => Volatile.Read(ref _cutOffReason);

        /// <summary>Cancelled when the subscriber is cut off, so a write blocked on a reader that stopped reading can give up.</summary>
        public CancellationToken CutOff => _cutOff.Token;

        /// <summary>Cuts the subscriber off when it fell more than its backlog behind <paramref name="tail"/>. Called by the hub's wake-up.</summary>
        internal void CutOffIfBehind(Node tail)
        {
            if (CutOffReason is not null)
                return;
            var behind = _serviceCount is null
                ? tail.Sequence - Volatile.Read(ref _readSequence)
                : Volatile.Read(ref _serviceCount.Value) - Volatile.Read(ref _readServiceSequence);
            if (behind <= Backlog)
                return;
            CutOffWith(string.Create(CultureInfo.InvariantCulture,
                $"the subscriber fell more than {Backlog} events behind (at index {tail.Frame?.Event.Index}); read the current state and subscribe again"));
        }

        /// <summary>Cuts the subscriber off with <paramref name="reason"/> (the first reason wins); it reads nothing more.</summary>
        internal void CutOffWith(string reason)
        {
            if (Interlocked.CompareExchange(ref _cutOffReason, reason, null) is not null)
                return;
            // Nothing more to read: the backlog it never took is stale once it must read the current state again, and sending
            // it to thousands of cut-off subscribers at once would cost the writes what the cut-off saves them.
            Volatile.Write(ref _lastReadable, long.MinValue);
            _hub.Remove(this);
            _completion.TrySetResult();
            Wake(SubscriptionWake.Ended);
            _ = _cutOff.CancelAsync(); // callbacks run on the thread pool
        }

        /// <summary>The event after <paramref name="node"/> this subscriber receives: the next in the log, or in its service's chain.</summary>
        private Node? NextOf(Node node) => _serviceCount is null ? Volatile.Read(ref node.Next) : Volatile.Read(ref node.NextInService);

        /// <summary>Where a matching <paramref name="node"/> stands in what this subscriber counts (all events, or its service's), to compare with its readable limit.</summary>
        private long PositionOf(Node node) => _serviceCount is null ? node.Sequence : node.ServiceSequence;

        private bool TryRead([MaybeNullWhen(false)] out CatalogEventFrame frame)
        {
            if (NextOf(_cursor) is not { } next || PositionOf(next) > Volatile.Read(ref _lastReadable))
            {
                frame = null;
                return false; // nothing new, or past what a cut-off or disposed subscriber may read
            }
            _cursor = next;
            Volatile.Write(ref _readSequence, next.Sequence);
            if (_serviceCount is not null)
                Volatile.Write(ref _readServiceSequence, next.ServiceSequence);
            frame = next.Frame!;
            return true;
        }

        private static readonly Task<SubscriptionWake> ReadableNow = Task.FromResult(SubscriptionWake.Readable);
        private static readonly Task<SubscriptionWake> EndedNow = Task.FromResult(SubscriptionWake.Ended);
        private static readonly Task<SubscriptionWake> NudgedNow = Task.FromResult(SubscriptionWake.Nudged);

        /// <summary>
        /// Waits until an event is readable, the subscription ends, or it is nudged; completes at once when an event is
        /// already readable, it ended, or a nudge came while nobody waited. One reader at a time: a new wait replaces one
        /// its reader gave up on. The wait is this subscription's own task, completed by the hub's wake-up (continuations
        /// on the thread pool).
        /// </summary>
        public Task<SubscriptionWake> WaitAsync()
        {
            if (HasReadable())
                return ReadableNow;
            if (IsEnded)
                return EndedNow;
            if (Interlocked.Exchange(ref _nudgePending, 0) == 1)
                return NudgedNow;
            var waiter = new TaskCompletionSource<SubscriptionWake>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Published with a full fence, then checked again: a wake-up that read no waiter before this saw no event
            // either, or this check sees the event (or the end) it would have woken us for.
            Interlocked.Exchange(ref _waiter, waiter)?.TrySetResult(SubscriptionWake.Nudged);
            if (HasReadable())
                Wake(SubscriptionWake.Readable);
            else if (IsEnded)
                Wake(SubscriptionWake.Ended);
            else if (Volatile.Read(ref _nudgePending) == 1 && Interlocked.Exchange(ref _waiter, null) is { } mine)
            {
                // Cleared only when delivered here: had a wake-up taken the waiter first, the nudge stays for the next wait.
                Interlocked.Exchange(ref _nudgePending, 0);
                mine.TrySetResult(SubscriptionWake.Nudged);
            }
            return waiter.Task;
        }

        /// <summary>
        /// Wakes the waiting reader with <see cref="SubscriptionWake.Nudged"/>; when none waits, its next wait returns
        /// <see cref="SubscriptionWake.Nudged"/> at once (a nudge is never lost, and several unseen ones count as one).
        /// </summary>
        public void Nudge()
        {
            Interlocked.Exchange(ref _nudgePending, 1);
            if (Interlocked.Exchange(ref _waiter, null) is not { } waiter)
                return; // the next wait takes it
            Interlocked.Exchange(ref _nudgePending, 0); // delivered here
            waiter.TrySetResult(SubscriptionWake.Nudged);
        }

        /// <summary>Wakes a waiting reader when an event is readable. Called by the hub's wake-up.</summary>
        internal void WakeIfReadable()
        {
            if (Volatile.Read(ref _waiter) is not null && HasReadable())
                Wake(SubscriptionWake.Readable);
        }

        private void Wake(SubscriptionWake why) => Interlocked.Exchange(ref _waiter, null)?.TrySetResult(why);

        private bool IsEnded => CutOffReason is not null || _completion.Task.IsCompleted;

        private async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                // WaitAsync(token) hands back the wait itself when it is done or the token cannot be cancelled.
                var why = await WaitAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                if (why != SubscriptionWake.Nudged)
                    return why == SubscriptionWake.Readable;
            }
        }

        /// <summary>Whether a frame it may read is waiting.</summary>
        private bool HasReadable() => NextOf(_cursor) is { } next && PositionOf(next) <= Volatile.Read(ref _lastReadable);

        /// <summary>How many frames it may read are waiting, without moving its cursor.</summary>
        private int CountReadable()
        {
            var limit = Volatile.Read(ref _lastReadable);
            var count = 0;
            for (var node = NextOf(_cursor); node is not null && PositionOf(node) <= limit; node = NextOf(node))
                count++;
            return count;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _hub.Remove(this);
            Volatile.Write(ref _lastReadable, long.MinValue);
            _completion.TrySetResult();
            Wake(SubscriptionWake.Ended);
            // _cutOff is not disposed: a wake-up that took this subscriber from the list before Dispose may still cancel it.
        }

        /// <summary>The subscription's frames as a channel reader (what the event stream and tests read).</summary>
        private sealed class FrameReader(Subscription subscription) : ChannelReader<CatalogEventFrame>
        {
            public override Task Completion => subscription._completion.Task;

            public override bool CanCount => true;

            public override int Count => subscription.CountReadable();

            public override bool TryRead([MaybeNullWhen(false)] out CatalogEventFrame item) => subscription.TryRead(out item);

            public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => subscription.WaitToReadAsync(cancellationToken);
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

using System.Collections.Concurrent;
using System.Diagnostics;
using Switchboard.Api;

namespace Switchboard.Registry.Notifications;

/// <summary>Fans catalog changes out to event-stream subscribers without ever blocking or slowing a write.</summary>
/// <remarks>
/// <para>Every change is appended to one shared log (a linked list of <see cref="CatalogEventFrame"/>s, serialized once
/// however many subscribers there are), and, when its service has subscribers of its own, to that service's chain through
/// the same nodes. <see cref="Publish"/> costs the same with no subscriber or with thousands: it
/// links the frame, counts it for its service and asks for a wake-up. Each subscriber reads the log from its own cursor
/// at its own pace, on its own thread; a subscriber that falls behind takes every event it missed in one go.</para>
/// <para>The wake-up runs on the thread pool, never on the writer's thread: it completes the wait of each subscriber
/// that has an event to read and cuts off every subscriber that fell more than its backlog behind (<see cref="Subscription.CutOffReason"/>,
/// <see cref="Subscription.CutOff"/>, then its stream completes): events are never dropped silently, and the log behind
/// the slowest subscriber is bounded by its backlog.</para>
/// </remarks>
internal sealed partial class CatalogEventHub
{
    /// <summary>The backlog a subscriber gets when it names none.</summary>
    public const int DefaultBacklog = 1024;

    /// <summary>How the reason starts when a subscriber must read the catalog again because changes were missed or reordered (not because it was slow).</summary>
    public const string ResyncPrefix = "resync:";

    private readonly Lock _gate = new();
    private readonly Func<CatalogEvent, byte[]> _serialize;
    /// <summary>
    /// The shortest time between two wake-ups while events keep coming, per subscriber: with N subscribers, wake-ups are at
    /// least N x 50 µs apart (none for a few subscribers, 50 ms for 1,000, 200 ms for 4,000), at most <see cref="MaxWakeUpInterval"/>.
    /// Waking thousands of subscribers for every event would spend the cores on wake-ups and starve the writes; batched,
    /// each subscriber takes what it missed in one write, and one that cannot keep up is cut off at its backlog.
    /// </summary>
    private static readonly TimeSpan WakeUpCostPerSubscriber = TimeSpan.FromTicks(500);

    /// <summary>The longest a published event waits for its wake-up under load.</summary>
    private static readonly TimeSpan MaxWakeUpInterval = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, ServiceCount> _perService = new(StringComparer.Ordinal);
    private long _lastWakeUp;
    private readonly Action _wakeUp;
    private Subscription[] _subscribers = [];
    private Node _tail = new(null, 0, 0);
    private int _wakeUpScheduled;

    /// <summary>A hub writing the standard SSE frames (<see cref="CatalogEventFrame.Format"/>).</summary>
    public CatalogEventHub()
        : this(CatalogEventFrame.Format)
    {
    }

    /// <summary>A hub serializing frames with <paramref name="serialize"/> (tests count the calls).</summary>
    internal CatalogEventHub(Func<CatalogEvent, byte[]> serialize)
    {
        _serialize = serialize;
        _wakeUp = () => _ = WakeUpAsync();
    }

    /// <summary>How many subscribers are connected.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Starts receiving the events published from now on; dispose the result to stop.</summary>
    /// <param name="backlog">How many events (of its service, when it has one) may wait unread before the subscriber is cut off.</param>
    /// <param name="serviceName">Only this service's events (they alone count against the backlog); null for all.</param>
    public Subscription Subscribe(int backlog = DefaultBacklog, string? serviceName = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(backlog, 1);
        var service = string.IsNullOrEmpty(serviceName) ? null : serviceName;
        var counter = service is null ? null : _perService.GetOrAdd(service, static _ => new ServiceCount());
        Subscription subscription;
        lock (_gate)
        {
            subscription = new Subscription(this, backlog, service, counter, counter is null ? Volatile.Read(ref _tail) : Volatile.Read(ref counter.Tail));
            _subscribers = [.. _subscribers, subscription];
        }
        return subscription;
    }

    /// <summary>Appends <paramref name="change"/> to the log; O(1) whatever the number of subscribers, never waits. Called by one writer at a time (the catalog's write lock).</summary>
    /// <param name="change">The change.</param>
    /// <param name="reconciled">Whether a reconciliation found it (<see cref="CatalogEventFrame.Reconciled"/>).</param>
    internal void Publish(CatalogEvent change, bool reconciled = false)
    {
        if (Volatile.Read(ref _subscribers).Length == 0)
            return; // nobody reads: nothing to keep (a subscriber sees the events published after it subscribed)
        var counter = _perService.GetValueOrDefault(change.ServiceName);
        var serviceCount = counter is null ? 0 : Interlocked.Increment(ref counter.Value);
        var tail = _tail;
        var node = new Node(new CatalogEventFrame(change, _serialize, reconciled), tail.Sequence + 1, serviceCount);
        Volatile.Write(ref tail.Next, node);
        Volatile.Write(ref _tail, node);
        if (counter is not null)
        {
            // The service's own chain: its subscribers walk only its events, not every event since they last read.
            Volatile.Write(ref counter.Tail.NextInService, node);
            Volatile.Write(ref counter.Tail, node);
        }
        if (Interlocked.Exchange(ref _wakeUpScheduled, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static wake => wake(), _wakeUp, preferLocal: false);
    }

    /// <summary>
    /// Ends every subscription with <see cref="ResyncPrefix"/> and <paramref name="reason"/>: changes were missed (a shared
    /// store's messages were lost), so no subscriber can be promised every change any more; each reads the catalog again.
    /// </summary>
    internal void CutOffAll(string reason)
    {
        var text = $"{ResyncPrefix} {reason}; read the catalog again, then subscribe again";
        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber.CutOffWith(text);
    }

    /// <summary>
    /// Wakes every subscriber waiting in <see cref="Subscription.WaitAsync"/> with <see cref="SubscriptionWake.Nudged"/>
    /// (the event stream's keep-alive tick); each resumes on the thread pool.
    /// </summary>
    internal void NudgeAll()
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber.Nudge();
    }

    /// <summary>
    /// Cuts off the subscribers past their backlog and wakes the waiting ones that have an event to read (a service's
    /// subscribers only when it changed); on the thread pool, one at a time, at most every N x <see cref="WakeUpCostPerSubscriber"/>.
    /// Each woken subscriber's own wait completes: one continuation per subscriber, nothing shared to contend on.
    /// </summary>
    private async Task WakeUpAsync()
    {
        var interval = TimeSpan.FromTicks(Math.Min(MaxWakeUpInterval.Ticks, WakeUpCostPerSubscriber.Ticks * SubscriberCount));
        var since = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastWakeUp));
        if (since < interval)
            await Task.Delay(interval - since).ConfigureAwait(false); // a rate limit on wake-ups, not a wait for time to pass
        Volatile.Write(ref _lastWakeUp, Stopwatch.GetTimestamp());
        Interlocked.Exchange(ref _wakeUpScheduled, 0); // a publish from here on schedules another wake-up (a full fence: what it links is read below or by that wake-up)
        var tail = Volatile.Read(ref _tail);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.CutOffIfBehind(tail);
            subscriber.WakeIfReadable();
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
            _subscribers = Array.FindAll(_subscribers, s => s != subscription);
    }

    /// <summary>One event in the log: its frame, its place in the log and among its service's events, the next event and the next of its service.</summary>
    internal sealed class Node(CatalogEventFrame? frame, long sequence, long serviceSequence)
    {
        public Node? NextInService;

        public CatalogEventFrame? Frame { get; } = frame;

        public long Sequence { get; } = sequence;

        public long ServiceSequence { get; } = serviceSequence;

        public Node? Next;
    }

    /// <summary>How many events of one service were published while it had subscribers, and the latest of them.</summary>
    internal sealed class ServiceCount
    {
        public long Value;

        /// <summary>The service's latest event while it has subscribers (a start node before the first), linked by <see cref="Node.NextInService"/>.</summary>
        public Node Tail = new(null, 0, 0);
    }
}

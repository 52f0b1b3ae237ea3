using System.Runtime.InteropServices;
using System.Text;
using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registry.Notifications;

namespace Switchboard.Registry.Tests.Notifications;

public sealed class CatalogEventHubTests
{
    private static CatalogEvent Change(long index, string service = "orders")
        => new(CatalogEventTypes.Registered, index, service, $"{service}-{index}", HealthStatus.Passing, null);

    [Fact]
    public void Publish_SerializesEachEventOnce_WhateverTheNumberOfSubscribers()
    {
        var serialized = 0;
        var hub = new CatalogEventHub(e =>
        {
            Interlocked.Increment(ref serialized);
            return CatalogEventFrame.Format(e);
        });
        var subscriptions = Enumerable.Range(0, 200).Select(_ => hub.Subscribe()).ToList();

        for (var i = 1; i <= 10; i++)
            hub.Publish(Change(i));

        var arrays = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        foreach (var subscription in subscriptions)
        {
            for (var i = 1; i <= 10; i++)
            {
                Assert.True(subscription.Frames.TryRead(out var frame));
                Assert.Equal(i, frame.Event.Index);
                Assert.True(MemoryMarshal.TryGetArray(frame.Bytes, out var segment));
                arrays.Add(segment.Array!);
            }
            subscription.Dispose();
        }
        Assert.Equal(10, serialized);
        Assert.Equal(10, arrays.Count); // one array per event, shared by the 200 subscribers
    }

    [Fact]
    public void Frame_IsTheServerSentEvent_SerializedOnlyWhenFirstRead()
    {
        var serialized = 0;
        var hub = new CatalogEventHub(e =>
        {
            serialized++;
            return CatalogEventFrame.Format(e);
        });
        using var subscription = hub.Subscribe();

        hub.Publish(Change(7));
        Assert.Equal(0, serialized);

        Assert.True(subscription.Frames.TryRead(out var frame));
        var text = Encoding.UTF8.GetString(frame.Bytes.Span);
        Assert.StartsWith("id: 7\nevent: registered\ndata: {", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n\n", text, StringComparison.Ordinal);
        Assert.Contains("\"service_name\":\"orders\"", text, StringComparison.Ordinal);
        _ = frame.Bytes;
        Assert.Equal(1, serialized);
    }

    [Fact]
    public async Task SubscriberPastItsBacklog_IsCutOffWithAReason_AndItsUnreadBacklogDropped()
    {
        var hub = new CatalogEventHub();
        using var slow = hub.Subscribe(backlog: 3);
        using var keepsUp = hub.Subscribe(backlog: 100);
        var cutOff = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = slow.CutOff.Register(() => cutOff.TrySetResult());

        for (var i = 1; i <= 5; i++)
            hub.Publish(Change(i));

        // The cut happens on the hub's wake-up (the thread pool), never on the publishing thread.
        await cutOff.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.NotNull(slow.CutOffReason);
        Assert.Contains("more than 3 events behind", slow.CutOffReason, StringComparison.Ordinal);
        Assert.Equal(1, hub.SubscriberCount);

        Assert.False(slow.Events.TryRead(out _)); // the backlog it never took is dropped: it reads the current state again
        await slow.Frames.Completion.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Null(keepsUp.CutOffReason);
        Assert.Equal(5, keepsUp.Events.Count);
    }

    [Fact]
    public void ServiceFilter_OnlyThatServicesEvents_CountAgainstTheBacklog()
    {
        var hub = new CatalogEventHub();
        using var orders = hub.Subscribe(backlog: 2, serviceName: "orders");

        hub.Publish(Change(1, "orders"));
        for (var i = 2; i <= 50; i++)
            hub.Publish(Change(i, "billing"));
        hub.Publish(Change(51, "orders"));

        Assert.Null(orders.CutOffReason);
        Assert.True(orders.Events.TryRead(out var first));
        Assert.True(orders.Events.TryRead(out var second));
        Assert.Equal((1L, 51L), (first.Index, second.Index));
        Assert.False(orders.Events.TryRead(out _));
    }

    [Fact]
    public async Task APublish_DoesNoPerSubscriberWork_SubscribersReadTheSharedLogAtTheirOwnPace()
    {
        var hub = new CatalogEventHub();
        var subscriptions = Enumerable.Range(0, 1_000).Select(_ => hub.Subscribe(backlog: 10_000)).ToList();
        var waiting = subscriptions[^1].Frames.WaitToReadAsync(TestContext.Current.CancellationToken).AsTask();

        for (var i = 1; i <= 500; i++)
            hub.Publish(Change(i));

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)); // woken by the hub's wake-up
        Assert.Equal(500, subscriptions[0].Frames.Count);
        Assert.True(subscriptions[0].Events.TryRead(out var first));
        Assert.Equal(1, first.Index);
        Assert.Equal(499, subscriptions[0].Frames.Count); // each subscriber has its own cursor
        Assert.Equal(500, subscriptions[1].Frames.Count);
        foreach (var subscription in subscriptions)
            subscription.Dispose();
        Assert.Equal(0, hub.SubscriberCount);
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AWait_IsWokenOnlyByItsOwnServicesEvent()
    {
        var hub = new CatalogEventHub();
        using var orders = hub.Subscribe(serviceName: "orders");
        using var billing = hub.Subscribe(serviceName: "billing");
        var ordersWait = orders.WaitAsync();
        var billingWait = billing.WaitAsync();
        Assert.False(ordersWait.IsCompleted);

        hub.Publish(Change(1, "billing"));

        Assert.Equal(SubscriptionWake.Readable, await billingWait.WaitAsync(Wait, TestContext.Current.CancellationToken));
        using var all = hub.Subscribe(); // a later wake-up: once it ran, the orders wait would have been woken by now if it were going to be
        var allWait = all.WaitAsync();
        hub.Publish(Change(2, "inventory"));
        Assert.Equal(SubscriptionWake.Readable, await allWait.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.False(ordersWait.IsCompleted);

        hub.Publish(Change(3, "orders"));
        Assert.Equal(SubscriptionWake.Readable, await ordersWait.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.True(orders.Events.TryRead(out var read));
        Assert.Equal(3, read.Index);
    }

    [Fact]
    public async Task AWait_EndsWhenTheSubscriptionIsCutOffOrDisposed()
    {
        var hub = new CatalogEventHub();
        var disposed = hub.Subscribe();
        var slow = hub.Subscribe(backlog: 1);
        var disposedWait = disposed.WaitAsync();

        disposed.Dispose();

        Assert.Equal(SubscriptionWake.Ended, await disposedWait.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.Equal(SubscriptionWake.Ended, await disposed.WaitAsync()); // and every wait after
        hub.Publish(Change(1));
        hub.Publish(Change(2));
        await slow.Frames.Completion.WaitAsync(Wait, TestContext.Current.CancellationToken); // cut off at the wake-up
        Assert.Equal(SubscriptionWake.Ended, await slow.WaitAsync());
        slow.Dispose();
    }

    [Fact]
    public async Task ANudge_WakesTheWaitingReader_OrTheNextWaitWhenNoneWaits_Once()
    {
        var hub = new CatalogEventHub();
        using var subscription = hub.Subscribe();
        var waiting = subscription.WaitAsync();

        hub.NudgeAll();
        Assert.Equal(SubscriptionWake.Nudged, await waiting.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.False(subscription.WaitAsync().IsCompleted); // delivered: not kept for the next wait

        subscription.Nudge(); // the wait just made takes it
        subscription.Nudge(); // nobody waits: kept for the next wait
        subscription.Nudge(); // coalesced with the one kept
        Assert.Equal(SubscriptionWake.Nudged, await subscription.WaitAsync());
        var next = subscription.WaitAsync();
        Assert.False(next.IsCompleted);

        hub.Publish(Change(1));
        Assert.Equal(SubscriptionWake.Readable, await next.WaitAsync(Wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheChannelReadersWait_LooksPastANudge_AndStopsAtTheEnd()
    {
        var hub = new CatalogEventHub();
        var subscription = hub.Subscribe();
        var waiting = subscription.Events.WaitToReadAsync(TestContext.Current.CancellationToken).AsTask();

        hub.NudgeAll(); // not an event: had the wait ended here, it would have answered false (nothing to read)
        hub.Publish(Change(1));
        Assert.True(await waiting.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.True(subscription.Events.TryRead(out _));

        var ending = subscription.Events.WaitToReadAsync(TestContext.Current.CancellationToken).AsTask();
        subscription.Dispose();
        Assert.False(await ending.WaitAsync(Wait, TestContext.Current.CancellationToken));
    }
}

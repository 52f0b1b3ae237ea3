namespace Switchboard.Registry.Notifications;

/// <summary>Why a subscriber's wait (<see cref="CatalogEventHub.Subscription.WaitAsync"/>) ended.</summary>
internal enum SubscriptionWake
{
    /// <summary>An event is waiting to be read.</summary>
    Readable,

    /// <summary>The subscription ended (cut off or disposed): nothing more will be readable.</summary>
    Ended,

    /// <summary>Woken without an event (<see cref="CatalogEventHub.NudgeAll"/>, <see cref="CatalogEventHub.Subscription.Nudge"/>): a keep-alive tick, or the reader's own reason to look up.</summary>
    Nudged,
}

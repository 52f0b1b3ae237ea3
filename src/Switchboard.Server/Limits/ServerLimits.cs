using Microsoft.Extensions.Options;

namespace Switchboard.Server.Limits;

/// <summary>The slots of the registry's long-lived requests, from <see cref="LimitsOptions"/>.</summary>
internal sealed class ServerLimits : IDisposable
{
    public ServerLimits(IOptions<LimitsOptions> options, TimeProvider timeProvider)
    {
        var o = options.Value;
        Options = o;
        BlockingQueries = new ClientSlots("blocking queries",
            Key(nameof(LimitsOptions.MaxBlockingQueriesPerClient)), o.MaxBlockingQueriesPerClient,
            Key(nameof(LimitsOptions.MaxBlockingQueries)), o.MaxBlockingQueries, o.RetryAfter);
        EventSubscribers = new ClientSlots("event-stream subscribers",
            Key(nameof(LimitsOptions.MaxEventSubscribersPerClient)), o.MaxEventSubscribersPerClient,
            Key(nameof(LimitsOptions.MaxEventSubscribers)), o.MaxEventSubscribers, o.RetryAfter);
        EventDelivery = new EventDeliveryBudget(o.EventStreamBytesPerSecond, timeProvider);
    }

    /// <summary>The options in force.</summary>
    public LimitsOptions Options { get; }

    /// <summary>Parked blocking queries, native and Consul.</summary>
    public ClientSlots BlockingQueries { get; }

    /// <summary>Event-stream subscribers.</summary>
    public ClientSlots EventSubscribers { get; }

    /// <summary>The bytes per second all event streams share.</summary>
    public EventDeliveryBudget EventDelivery { get; }

    /// <summary>The configuration key of a limit, e.g. <c>Switchboard:Limits:MaxEventSubscribers</c>.</summary>
    public static string Key(string name) => $"{LimitsOptions.SectionName}:{name}";

    /// <inheritdoc />
    public void Dispose()
    {
        BlockingQueries.Dispose();
        EventSubscribers.Dispose();
        EventDelivery.Dispose();
    }
}

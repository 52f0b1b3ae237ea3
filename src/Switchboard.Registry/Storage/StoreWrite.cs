using Switchboard.Instances;

namespace Switchboard.Registry.Storage;

/// <summary>One change to persist: an instance put (created or replaced) or removed, at a catalog index.</summary>
/// <param name="Index">The catalog index of the change; strictly increasing from one write to the next.</param>
/// <param name="Instance">The instance after the change; null when it was removed.</param>
/// <param name="RemovedInstanceId">The id of the removed instance; null for a put.</param>
public sealed record StoreWrite(long Index, ServiceInstance? Instance, string? RemovedInstanceId)
{
    /// <summary>The event type of the change (see <c>CatalogEventTypes</c>); shared stores publish it and condition removals on it (an expiry is refused when the lease was renewed elsewhere).</summary>
    public string Type { get; init; } = "";

    /// <summary>The service of the instance (for a removal: the service it was in).</summary>
    public string ServiceName { get; init; } = "";

    /// <summary>True when the put comes from a registration, which may create the instance; any other put only updates an instance that still exists.</summary>
    public bool Registration { get; init; }

    /// <summary>When the change was made (the catalog's clock); shared stores use it to order changes written back after an outage.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The id of the instance the change is about.</summary>
    public string InstanceId => Instance?.InstanceId ?? RemovedInstanceId ?? "";

    /// <summary>A put of <paramref name="instance"/>.</summary>
    public static StoreWrite Put(long index, ServiceInstance instance) => new(index, instance, null) { ServiceName = instance.ServiceName };

    /// <summary>The removal of <paramref name="instanceId"/>.</summary>
    public static StoreWrite Remove(long index, string instanceId) => new(index, null, instanceId);
}

/// <summary>What a store holds at start.</summary>
/// <param name="Index">The highest catalog index ever persisted (0 for an empty store).</param>
/// <param name="Instances">Every persisted instance.</param>
public sealed record StoreSnapshot(long Index, IReadOnlyList<ServiceInstance> Instances)
{
    /// <summary>An empty store.</summary>
    public static readonly StoreSnapshot Empty = new(0, []);
}

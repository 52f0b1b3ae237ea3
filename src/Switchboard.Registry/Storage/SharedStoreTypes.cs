using Switchboard.Instances;

namespace Switchboard.Registry.Storage;

/// <summary>A change a shared store applies to the catalog.</summary>
/// <param name="Index">The shared index of the change; the service's view and the catalog index move up to it.</param>
/// <param name="Type">The event type subscribers see (see <c>CatalogEventTypes</c>).</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="ServiceName">Its service (for a removal: the service it was in).</param>
/// <param name="Instance">The instance as the shared store holds it, with its final indexes; null for a removal.</param>
/// <param name="Force">Apply even when the catalog holds a newer modify index (the store is restoring its truth).</param>
public sealed record ReplicatedChange(long Index, string Type, string InstanceId, string ServiceName, ServiceInstance? Instance, bool Force = false);

/// <summary>An instance id with the modify index the catalog holds for it.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="ModifyIndex">Its modify index.</param>
public readonly record struct InstanceVersion(string InstanceId, long ModifyIndex);

/// <summary>A lease (<see cref="CheckId"/> null) or a TTL check whose deadline is shared.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="CheckId">The TTL check; null for the instance's lease.</param>
public readonly record struct DeadlineKey(string InstanceId, string? CheckId);

/// <summary>Deadlines renewed by a heartbeat or a TTL-check report.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="LeaseExpiresAt">The new end of its lease; null when it has none or it was not renewed.</param>
/// <param name="TtlChecks">The TTL checks renewed, with their new deadlines.</param>
public sealed record LeaseRenewal(string InstanceId, DateTimeOffset? LeaseExpiresAt, IReadOnlyList<CheckDeadline> TtlChecks);

/// <summary>A TTL check's new deadline.</summary>
/// <param name="CheckId">The check.</param>
/// <param name="ExpiresAt">When it turns critical without a new report.</param>
public readonly record struct CheckDeadline(string CheckId, DateTimeOffset ExpiresAt);

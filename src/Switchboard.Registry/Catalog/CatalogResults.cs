using Switchboard.Api;
using Switchboard.Instances;

namespace Switchboard.Registry.Catalog;

/// <summary>The outcome of a registration.</summary>
/// <param name="Instance">The instance as stored.</param>
/// <param name="Created">True for a new instance, false when an existing one was replaced or re-registered unchanged.</param>
/// <param name="Index">The catalog index after the registration.</param>
public sealed record RegisterResult(ServiceInstance Instance, bool Created, long Index);

/// <summary>The outcome of a heartbeat.</summary>
/// <param name="Instance">The instance after the heartbeat.</param>
/// <param name="LeaseExpiresAt">When its lease runs out; null when it has no lease.</param>
public sealed record HeartbeatResult(ServiceInstance Instance, DateTimeOffset? LeaseExpiresAt);

/// <summary>What the engine knows of an instance beyond its registration.</summary>
/// <param name="Instance">The instance.</param>
/// <param name="LastHeartbeat">Its last heartbeat or registration.</param>
/// <param name="LeaseExpiresAt">When its lease runs out; null when it has no lease.</param>
/// <param name="LatestOutput">The output of its latest probe or report.</param>
internal sealed record InstanceRuntime(ServiceInstance Instance, DateTimeOffset? LastHeartbeat, DateTimeOffset? LeaseExpiresAt, string LatestOutput)
{
    /// <summary>Each check's latest probe or report.</summary>
    public IReadOnlyList<CheckProbe> Checks { get; init; } = [];

    /// <summary>The instance's recent status changes, oldest first.</summary>
    public IReadOnlyList<StatusTransition> Transitions { get; init; } = [];
}

/// <summary>Thrown when a registration would take the catalog past <see cref="RegistryOptions.MaxInstances"/>.</summary>
public sealed class CatalogFullException(int limit)
    : InvalidOperationException($"The catalog holds its maximum of {limit} instances; deregister some or raise Switchboard:Registry:MaxInstances.");

/// <summary>Where a health check lives and what it last reported.</summary>
/// <param name="InstanceId">The instance the check belongs to.</param>
/// <param name="LatestOutput">The output of its latest probe or report.</param>
internal sealed record CheckLookup(string InstanceId, string LatestOutput);

/// <summary>Thrown when a registration names a check id another instance owns (check updates by id must reach one check).</summary>
/// <param name="checkId">The check id.</param>
/// <param name="position">The check's position in the registration.</param>
/// <param name="ownerInstanceId">The instance that owns it.</param>
public sealed class CheckIdConflictException(string checkId, int position, string ownerInstanceId)
    : InvalidOperationException($"Check id '{checkId}' belongs to instance '{ownerInstanceId}'; choose another id or deregister that instance first.")
{
    /// <summary>The check id.</summary>
    public string CheckId { get; } = checkId;

    /// <summary>The check's position in the registration.</summary>
    public int Position { get; } = position;

    /// <summary>The instance that owns the id.</summary>
    public string OwnerInstanceId { get; } = ownerInstanceId;
}

/// <summary>Thrown when a registration reuses the id of an instance registered under another service: an id belongs to the service it was first registered under, so nobody can move another team's instance (and its traffic) by re-registering its id.</summary>
/// <param name="instanceId">The instance id.</param>
/// <param name="ownerService">The service the id belongs to.</param>
public sealed class InstanceIdOwnedException(string instanceId, string ownerService)
    : InvalidOperationException($"Instance id '{instanceId}' is registered under service '{ownerService}'; deregister it there first or choose another id.")
{
    /// <summary>The instance id.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>The service the id belongs to.</summary>
    public string OwnerService { get; } = ownerService;
}

/// <summary>Thrown when a health check targets an address the registry may not probe (<see cref="Health.CheckTargetPolicy"/>).</summary>
/// <param name="field">The wire name of the refused field (<c>checks[i].http</c>).</param>
/// <param name="message">Why, naming the field and the target.</param>
public sealed class CheckTargetRefusedException(string field, string message) : InvalidOperationException(message)
{
    /// <summary>The wire name of the refused field.</summary>
    public string Field { get; } = field;
}

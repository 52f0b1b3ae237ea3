using Switchboard.Instances;

namespace Switchboard.Api;

/// <summary>One change of the catalog, as the event stream sends it.</summary>
/// <param name="Type">What happened: see <see cref="CatalogEventTypes"/>.</param>
/// <param name="Index">The catalog index of the change.</param>
/// <param name="ServiceName">The service that changed.</param>
/// <param name="InstanceId">The instance that changed.</param>
/// <param name="Status">The instance's status after the change (<c>critical</c> once removed).</param>
/// <param name="Instance">The instance after the change; empty when it was removed.</param>
public sealed record CatalogEvent(string Type, long Index, string ServiceName, string InstanceId, HealthStatus Status, ServiceInstance? Instance);

/// <summary>The values of <see cref="CatalogEvent.Type"/>.</summary>
public static class CatalogEventTypes
{
    /// <summary>A new instance.</summary>
    public const string Registered = "registered";

    /// <summary>An existing instance re-registered with changes.</summary>
    public const string Updated = "updated";

    /// <summary>An instance's health status changed.</summary>
    public const string StatusChanged = "status_changed";

    /// <summary>An instance was deregistered.</summary>
    public const string Deregistered = "deregistered";

    /// <summary>An instance's lease ran out.</summary>
    public const string Expired = "expired";

    /// <summary>An instance was removed after being critical for too long.</summary>
    public const string Reaped = "reaped";
}

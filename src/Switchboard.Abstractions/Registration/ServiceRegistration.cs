namespace Switchboard.Registration;

/// <summary>A request to register (or update) one service instance: the body of <c>POST /service-discovery/register</c>.</summary>
/// <remarks>
/// The seed-001 fields (<c>service_name</c>, <c>host</c>, <c>port</c>, <c>protocol</c>, <c>path</c>,
/// <c>health_check_path</c>, <c>metadata</c>, <c>tags</c>) plus Switchboard's own. Registering the same
/// instance id again replaces the previous registration (idempotent upsert).
/// </remarks>
public sealed record ServiceRegistration
{
    /// <summary>The service's name: lowercase DNS labels (letters, digits, hyphens), at most 63 characters a label.</summary>
    public string? ServiceName { get; init; }

    /// <summary>The instance's unique id; derived from service name, host and port when empty.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The host name or IP address callers use to reach the instance.</summary>
    public string? Host { get; init; }

    /// <summary>The TCP port, 1 to 65535.</summary>
    public int? Port { get; init; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    /// <value>The default value is <c>http</c>.</value>
    public string? Protocol { get; init; }

    /// <summary>The base path appended to every call (for example <c>/api/v1</c>).</summary>
    public string? Path { get; init; }

    /// <summary>Shorthand for an HTTP check on this path of the instance (seed 001).</summary>
    public string? HealthCheckPath { get; init; }

    /// <summary>Free-form string metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Tags, a set: duplicates are dropped.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>The instance's version (for example <c>1.2.0</c>).</summary>
    public string? Version { get; init; }

    /// <summary>The relative share of traffic for weighted policies, 1 to 1000.</summary>
    /// <value>The default value is 1.</value>
    public int? Weight { get; init; }

    /// <summary>An availability zone or region label.</summary>
    public string? Zone { get; init; }

    /// <summary>
    /// The lease: the instance is removed when no heartbeat renews it within this time. Omitted: the
    /// registry's default lease. Zero: no lease (the instance stays until deregistered; for external services).
    /// </summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>An active health check; overrides <see cref="HealthCheckPath"/>.</summary>
    public HealthCheckSpec? Check { get; init; }

    /// <summary>More health checks (Consul's <c>Checks</c>); the instance is as healthy as its worst check.</summary>
    public IReadOnlyList<HealthCheckSpec>? Checks { get; init; }
}

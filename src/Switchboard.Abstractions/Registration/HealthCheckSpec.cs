using Switchboard.Instances;

namespace Switchboard.Registration;

/// <summary>The active health check of one instance, as registered.</summary>
/// <remarks>On the wire durations are numbers of seconds or Go-style strings (<c>"10s"</c>, <c>"1m30s"</c>, <c>"500ms"</c>).</remarks>
public sealed record HealthCheckSpec
{
    /// <summary>The default interval between two probes of an HTTP or TCP check.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>The default time a probe may take before it counts as a failure.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The check's id, unique in the registry; derived from the instance id when empty (<c>service:&lt;instance-id&gt;</c>, numbered when there are several).</summary>
    public string? Id { get; init; }

    /// <summary>A human-readable name.</summary>
    public string? Name { get; init; }

    /// <summary>The status the check starts in (Consul's <c>Status</c>); passing when empty.</summary>
    public HealthStatus? InitialStatus { get; init; }

    /// <summary>The kind of check.</summary>
    /// <value>The default value is <see cref="HealthCheckKind.None"/>.</value>
    public HealthCheckKind Kind { get; init; }

    /// <summary>For <see cref="HealthCheckKind.Http"/>: an absolute URL, or a path resolved against the instance's host and port.</summary>
    public string? Http { get; init; }

    /// <summary>For <see cref="HealthCheckKind.Tcp"/>: <c>host:port</c>; the instance's own address when empty.</summary>
    public string? Tcp { get; init; }

    /// <summary>Time between two probes.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan? Interval { get; init; }

    /// <summary>How long one probe may take.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>For <see cref="HealthCheckKind.Ttl"/>: how long a reported status stays valid without a new heartbeat.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Consecutive failed probes before the status turns critical.</summary>
    /// <value>The default value is 1.</value>
    public int? FailuresBeforeCritical { get; init; }

    /// <summary>Consecutive successful probes before a critical instance turns passing again.</summary>
    /// <value>The default value is 1.</value>
    public int? SuccessesBeforePassing { get; init; }

    /// <summary>Removes the instance once it has been critical for this long; never when empty.</summary>
    public TimeSpan? DeregisterCriticalAfter { get; init; }

    /// <summary>The interval in effect.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan EffectiveInterval => Interval ?? DefaultInterval;

    /// <summary>The probe timeout in effect.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan EffectiveTimeout => Timeout ?? DefaultTimeout;

    /// <summary>The failure threshold in effect.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveFailuresBeforeCritical => FailuresBeforeCritical ?? 1;

    /// <summary>The success threshold in effect.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EffectiveSuccessesBeforePassing => SuccessesBeforePassing ?? 1;
}

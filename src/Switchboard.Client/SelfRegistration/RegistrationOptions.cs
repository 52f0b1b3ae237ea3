namespace Switchboard.Client.SelfRegistration;

/// <summary>Self-registration settings (<c>Switchboard:Registration</c>).</summary>
public sealed class RegistrationOptions
{
    /// <summary>The default <see cref="Ttl"/>.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="HeartbeatFraction"/>.</summary>
    public const double DefaultHeartbeatFraction = 1.0 / 3;

    /// <summary>Whether the application registers itself when it starts.</summary>
    /// <value>The default value is false.</value>
    public bool Enabled { get; set; }

    /// <summary>The service name to register; <c>Switchboard:ServiceName</c> when empty.</summary>
    /// <value>The default value is null.</value>
    public string? ServiceName { get; set; }

    /// <summary>The instance id; derived by the registry from name, host and port when empty.</summary>
    /// <value>The default value is null.</value>
    public string? InstanceId { get; set; }

    /// <summary>The host callers use. When empty, taken from the server's bound addresses (a wildcard binding becomes this machine's name).</summary>
    /// <value>The default value is null.</value>
    public string? Host { get; set; }

    /// <summary>The port callers use; from the server's bound addresses when empty.</summary>
    /// <value>The default value is null.</value>
    public int? Port { get; set; }

    /// <summary><c>http</c> or <c>https</c>; from the server's bound addresses when empty.</summary>
    /// <value>The default value is null.</value>
    public string? Protocol { get; set; }

    /// <summary>The base path callers prefix to every route (for example <c>/api/v1</c>).</summary>
    /// <value>The default value is null.</value>
    public string? Path { get; set; }

    /// <summary>The path of the health endpoint the registry probes (see <c>MapSwitchboardHealth</c>); empty for no active check.</summary>
    /// <value>The default value is null.</value>
    public string? HealthCheckPath { get; set; }

    /// <summary>The interval of the registry's probe of <see cref="HealthCheckPath"/>.</summary>
    /// <value>The default value is null (the registry's default, 10 seconds).</value>
    public TimeSpan? HealthCheckInterval { get; set; }

    /// <summary>Tags.</summary>
    /// <value>The default value is empty.</value>
    public IList<string> Tags { get; } = [];

    /// <summary>Metadata.</summary>
    /// <value>The default value is empty.</value>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The version.</summary>
    /// <value>The default value is null.</value>
    public string? Version { get; set; }

    /// <summary>The weight for weighted policies (1 to 1000).</summary>
    /// <value>The default value is null (1).</value>
    public int? Weight { get; set; }

    /// <summary>The zone.</summary>
    /// <value>The default value is null.</value>
    public string? Zone { get; set; }

    /// <summary>The lease: the registry drops the instance when no heartbeat arrives within it.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Ttl { get; set; } = DefaultTtl;

    /// <summary>The heartbeat interval as a fraction of <see cref="Ttl"/> (greater than 0, below 1).</summary>
    /// <value>The default value is 1/3 (three heartbeats per lease).</value>
    public double HeartbeatFraction { get; set; } = DefaultHeartbeatFraction;

    /// <summary>Whether the instance deregisters when the application stops gracefully.</summary>
    /// <value>The default value is true.</value>
    public bool DeregisterOnShutdown { get; set; } = true;

    /// <summary>The heartbeat interval in effect.</summary>
    public TimeSpan HeartbeatInterval => Ttl * HeartbeatFraction;
}

namespace Switchboard.Registration;

/// <summary>How the registry decides an instance's health.</summary>
public enum HealthCheckKind
{
    /// <summary>No active check: the instance is passing while its lease is alive.</summary>
    None = 0,

    /// <summary>The registry GETs a URL: 2xx passing, 429 warning, anything else or a timeout critical.</summary>
    Http = 1,

    /// <summary>The registry opens a TCP connection: connected passing, refused or timed out critical.</summary>
    Tcp = 2,

    /// <summary>The instance reports its own status with heartbeats; critical when none arrives within the check's TTL.</summary>
    Ttl = 3,
}

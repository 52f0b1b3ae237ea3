namespace Switchboard.Client.Discovery;

/// <summary>How an instance of a watched service changed.</summary>
public enum ServiceHealthChangeKind
{
    /// <summary>A new instance appeared.</summary>
    Appeared = 0,

    /// <summary>An instance disappeared (deregistered, expired, reaped).</summary>
    Disappeared = 1,

    /// <summary>An instance turned healthy (passing or warning) from critical.</summary>
    BecameHealthy = 2,

    /// <summary>An instance turned critical.</summary>
    BecameUnhealthy = 3,
}

namespace Switchboard.Client.Discovery;

/// <summary>Where a <see cref="DiscoveryResult"/> came from, in the order they are tried.</summary>
public enum DiscoverySource
{
    /// <summary>No source knew the service.</summary>
    None = 0,

    /// <summary>The registry (possibly served stale from the cache; see <see cref="DiscoveryResult.IsStale"/>).</summary>
    Registry = 1,

    /// <summary>The configured static URLs (<c>Switchboard:Static</c>).</summary>
    Static = 2,

    /// <summary>DNS (A/AAAA or SRV).</summary>
    Dns = 3,
}

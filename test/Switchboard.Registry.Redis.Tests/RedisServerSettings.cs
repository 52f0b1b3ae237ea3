namespace Switchboard.Registry.Redis.Tests;

/// <summary>What kind of redis-server <see cref="RedisServer"/> starts: plain by default.</summary>
public sealed record RedisServerSettings
{
    /// <summary>The <c>requirepass</c> password.</summary>
    public string? Password { get; init; }

    /// <summary>Serve TLS only (<c>--port 0 --tls-port</c>) with these certificates; clients need not present one.</summary>
    public TestCertificates? Tls { get; init; }

    /// <summary>Start as a Redis Cluster node, with its cluster bus on a second free port.</summary>
    public bool ClusterNode { get; init; }

    /// <summary>Start as a replica of the server on this port.</summary>
    public int? ReplicaOf { get; init; }

    /// <summary>Start as a Sentinel (<c>redis-server --sentinel</c>) monitoring <see cref="RedisServer.SentinelService"/> on this port.</summary>
    public int? SentinelFor { get; init; }
}

using System.ComponentModel.DataAnnotations;

namespace Switchboard.Registry.Redis;

/// <summary>Settings of the Redis store, bound from <c>Switchboard:Store:Redis</c>.</summary>
public sealed class RedisStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Store:Redis";

    /// <summary>The namespace used when none is given.</summary>
    public const string DefaultNamespace = "switchboard";

    /// <summary>A StackExchange.Redis connection string: endpoints plus options such as <c>password=</c>, <c>user=</c>, <c>ssl=true</c>, <c>serviceName=</c> (Sentinel).</summary>
    /// <value>The default value is <c>localhost:6379</c>.</value>
    [Required]
    public string ConnectionString { get; set; } = "localhost:6379";

    /// <summary>The prefix of every key (inside a cluster hash tag: <c>{namespace}:...</c>) and of the change channel.</summary>
    /// <value>The default value is <c>switchboard</c>; seed 000 uses <c>munbon:services</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.:-]{1,100}$", ErrorMessage = "The Redis namespace must be 1 to 100 letters, digits or the characters _ . : -")]
    public string Namespace { get; set; } = DefaultNamespace;

    /// <summary>
    /// Hybrid mode (seed 001): when Redis cannot be reached the node keeps serving from memory, accepts registrations and
    /// heartbeats, reports itself degraded, and writes back what happened once Redis returns. Without it, a node that cannot
    /// reach Redis at start refuses to start, and writes fail while Redis is away.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool Hybrid { get; set; }

    /// <summary>This node's id in the cluster; generated from the host name and process id when empty.</summary>
    public string? NodeId { get; set; }

    /// <summary>How long the leader lease lasts without renewal: the longest a dead leader's expiry and checks stay unowned.</summary>
    /// <value>The default value is 3 seconds (renewed every second).</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan LeaderLease { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a node compares its whole replica with Redis, on top of the gap detection of every change message.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After a node gets Redis back, nothing expires for this long, so nodes still writing back their heartbeats are not expired.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExpiryGraceAfterOutage { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a removal is remembered, so that a write-back from a node that was cut off cannot bring the instance back.</summary>
    /// <value>The default value is 1 day.</value>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A PEM (or DER) file holding the certificate of the authority that issued the Redis server's TLS certificate, trusted
    /// for this connection only (a private CA, a self-signed server); needs TLS on in the connection string (<c>ssl=true</c>).
    /// The server's name (<c>sslHost=</c>, else the endpoint's host) must still match its certificate.
    /// </summary>
    /// <value>The default value is null: the machine's trusted authorities only.</value>
    public string? TrustedCaFile { get; set; }

    /// <summary>How long connecting may take.</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

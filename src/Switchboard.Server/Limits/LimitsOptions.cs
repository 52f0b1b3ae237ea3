using System.ComponentModel.DataAnnotations;

namespace Switchboard.Server.Limits;

/// <summary>
/// How much one client and all clients together may hold of the registry's connections, parked blocking queries and
/// event streams, and how fast one client may write; bound from <c>Switchboard:Limits</c>. Refusals name the limit (see <c>docs/operations.md</c>).
/// </summary>
public sealed class LimitsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Limits";

    /// <summary>
    /// The most connections open at once (Kestrel's <c>MaxConcurrentConnections</c> and <c>MaxConcurrentUpgradedConnections</c>);
    /// Kestrel closes a connection past it at once. Null derives it from the process's soft descriptor limit
    /// (<see cref="DescriptorLimit.DefaultMaxConnections()"/>), so accepting never runs the process out of descriptors: at the
    /// limit, Kestrel's socket transport retries a failed accept (EMFILE) at once, in a loop that spins and allocates.
    /// </summary>
    /// <value>The default value is null: the soft descriptor limit, minus the descriptors open at start, minus a reserve of an eighth of the limit (at least 256).</value>
    [Range(1, int.MaxValue)]
    public int? MaxConnections { get; set; }

    /// <summary>The most connections one client address may have open (Consul's <c>limits.http_max_conns_per_client</c>); 0 for no limit.</summary>
    /// <value>The default value is 200, Consul's.</value>
    [Range(0, int.MaxValue)]
    public int MaxConnectionsPerClient { get; set; } = 200;

    /// <summary>The most blocking queries parked at once, all clients together; past it a query is answered 503.</summary>
    /// <value>The default value is 50,000.</value>
    [Range(1, int.MaxValue)]
    public int MaxBlockingQueries { get; set; } = 50_000;

    /// <summary>The most blocking queries one client address may have parked at once; past it a query is answered 429.</summary>
    /// <value>The default value is 100.</value>
    [Range(1, int.MaxValue)]
    public int MaxBlockingQueriesPerClient { get; set; } = 100;

    /// <summary>The most event-stream subscribers at once, all clients together; past it a subscription is answered 503.</summary>
    /// <value>The default value is 50,000.</value>
    [Range(1, int.MaxValue)]
    public int MaxEventSubscribers { get; set; } = 50_000;

    /// <summary>The most event-stream subscribers one client address may have at once; past it a subscription is answered 429.</summary>
    /// <value>The default value is 16.</value>
    [Range(1, int.MaxValue)]
    public int MaxEventSubscribersPerClient { get; set; } = 16;

    /// <summary>How many events may wait unsent for one subscriber before it is cut off (with the reason as a final <c>event: error</c>).</summary>
    /// <value>The default value is 1,024.</value>
    [Range(1, 1_000_000)]
    public int EventBacklog { get; set; } = 1_024;

    /// <summary>
    /// The bytes per second all event streams together may send; 0 for no limit. Past it subscribers fall behind and are cut
    /// off at <see cref="EventBacklog"/> rather than taking the cores from the writes (see <c>docs/operations.md</c>).
    /// </summary>
    /// <value>The default value is 32 MiB/s (about 70,000 events per second of ~470 bytes, shared by all subscribers).</value>
    [Range(0, int.MaxValue)]
    public int EventStreamBytesPerSecond { get; set; } = 32 * 1024 * 1024;

    /// <summary>The <c>Retry-After</c> sent with every refusal.</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The write rate limit per client address (<c>Switchboard:Limits:Writes</c>).</summary>
    public WriteLimitOptions Writes { get; set; } = new();

    /// <summary>The effective connection limit: <see cref="MaxConnections"/>, else derived from the descriptor limit (null where unknown: no limit).</summary>
    public int? EffectiveMaxConnections => MaxConnections ?? DescriptorLimit.DefaultMaxConnections();
}

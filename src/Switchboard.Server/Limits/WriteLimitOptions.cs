namespace Switchboard.Server.Limits;

/// <summary>
/// The write rate limit: a token bucket per client address for the registry's writes (POST, PUT, DELETE and PATCH under
/// <c>/service-discovery</c> and <c>/v1</c>); reads, <c>/health</c> and the event stream are never limited. Bound from
/// <c>Switchboard:Limits:Writes</c>; a write past it is answered 429 with <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// The defaults let 2,000 SDK instances (heartbeats every 10 s, the SDK's default) share one address behind a NAT, and all
/// of them re-register at once after a restart, while one address can take at most about 2% of the write rate a single
/// agent sustains (10,000+ registrations/s on every store, <c>docs/benchmarks.md</c>).
/// </remarks>
public sealed class WriteLimitOptions
{
    /// <summary>The sub-section of <see cref="LimitsOptions.SectionName"/>.</summary>
    public const string SectionName = "Writes";

    /// <summary>The highest sustained write rate of one client address, in writes per second (the bucket's refill rate); 0 for no limit.</summary>
    /// <value>The default value is 200: twice the 100 writes/s of 1,000 instances heartbeating every 10 s.</value>
    public int PermitsPerSecond { get; set; } = 200;

    /// <summary>How many writes one client address may send at once above the sustained rate (the bucket's size).</summary>
    /// <value>The default value is 2,000: a fleet of 1,000 instances registering and sending its first heartbeat together.</value>
    public int Burst { get; set; } = 2_000;

    /// <summary>Whether loopback callers (127.0.0.0/8, <c>::1</c>: a sidecar agent's own host) are never limited.</summary>
    /// <value>The default value is true.</value>
    public bool ExemptLoopback { get; set; } = true;
}

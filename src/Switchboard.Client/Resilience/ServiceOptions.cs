namespace Switchboard.Client.Resilience;

/// <summary>
/// How calls to one service behave (<c>Switchboard:Services:{name}</c>, defaults in <c>Switchboard:Defaults</c>).
/// Every property is optional: an unset property comes from the service's <see cref="Tier"/> preset, else from
/// <c>Switchboard:Defaults</c>, else from the built-in default (<see cref="ServiceDefaults"/>; tiers: <see cref="ServiceTiers"/>).
/// </summary>
public sealed class ServiceOptions
{
    /// <summary>A preset: <c>web</c>, <c>app</c>, <c>data</c>, <c>ml</c> or <c>monitoring</c> (seed 001's tiers).</summary>
    /// <value>The default value is null (no preset).</value>
    public string? Tier { get; set; }

    /// <summary>The load-balancing policy.</summary>
    /// <value>The default value is null (<c>Switchboard:LoadBalancingPolicy</c>).</value>
    public string? LoadBalancingPolicy { get; set; }

    /// <summary>The bound on a whole call, retries and backoff included.</summary>
    /// <value>The default value is null (built-in: 30 seconds).</value>
    public TimeSpan? TotalTimeout { get; set; }

    /// <summary>The bound on one attempt.</summary>
    /// <value>The default value is null (built-in: 10 seconds).</value>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>Attempts per call, the first included (1 = no retry).</summary>
    /// <value>The default value is null (built-in: 3).</value>
    public int? MaxAttempts { get; set; }

    /// <summary>The first retry delay; doubles per retry, with jitter.</summary>
    /// <value>The default value is null (built-in: 1 second).</value>
    public TimeSpan? RetryBaseDelay { get; set; }

    /// <summary>The longest retry delay.</summary>
    /// <value>The default value is null (built-in: 60 seconds).</value>
    public TimeSpan? RetryMaxDelay { get; set; }

    /// <summary>Whether POST and PATCH are retried too (only idempotent methods are, by default).</summary>
    /// <value>The default value is null (built-in: false).</value>
    public bool? RetryNonIdempotent { get; set; }

    /// <summary>Consecutive failures of one instance that open its circuit (and eject it).</summary>
    /// <value>The default value is null (built-in: 5).</value>
    public int? FailureThreshold { get; set; }

    /// <summary>Consecutive successes in half-open state that close the circuit again.</summary>
    /// <value>The default value is null (built-in: 2).</value>
    public int? SuccessThreshold { get; set; }

    /// <summary>How long an open circuit keeps its instance ejected before a half-open probe.</summary>
    /// <value>The default value is null (built-in: 60 seconds).</value>
    public TimeSpan? BreakDuration { get; set; }

    /// <summary>Whether per-instance circuit breakers are on.</summary>
    /// <value>The default value is null (built-in: true).</value>
    public bool? CircuitBreakerEnabled { get; set; }

    /// <summary>Pooled connections per instance.</summary>
    /// <value>The default value is null (built-in: 10, seed 000).</value>
    public int? MaxConnectionsPerServer { get; set; }
}

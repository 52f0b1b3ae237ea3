namespace Switchboard.Client.Resilience;

/// <summary>
/// The built-in value of each <see cref="ServiceOptions"/> setting: what a call uses when neither the service, its
/// tier nor <c>Switchboard:Defaults</c> sets it. The one place these numbers live (docs/client.md quotes them).
/// </summary>
public static class ServiceDefaults
{
    /// <summary>The bound on a whole call: 30 seconds.</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The bound on one attempt: 10 seconds.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per call, the first included: 3 (seed 001).</summary>
    public const int MaxAttempts = 3;

    /// <summary>The first retry delay: 1 second (seed 001).</summary>
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay: 60 seconds (seed 001).</summary>
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>Whether non-idempotent methods are retried: no.</summary>
    public const bool RetryNonIdempotent = false;

    /// <summary>Consecutive failures that open an instance's circuit: 5 (seed 001).</summary>
    public const int FailureThreshold = 5;

    /// <summary>Consecutive half-open successes that close it: 2.</summary>
    public const int SuccessThreshold = 2;

    /// <summary>How long an open circuit ejects its instance: 60 seconds (seed 001).</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(60);

    /// <summary>Whether per-instance circuit breakers are on: yes.</summary>
    public const bool CircuitBreakerEnabled = true;

    /// <summary>Pooled connections per instance: 10 (seed 000).</summary>
    public const int MaxConnectionsPerServer = 10;
}

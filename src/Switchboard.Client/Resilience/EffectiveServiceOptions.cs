namespace Switchboard.Client.Resilience;

/// <summary>The options in effect for one service after presets and defaults are applied.</summary>
/// <param name="ServiceName">The service.</param>
/// <param name="LoadBalancingPolicy">The policy name.</param>
/// <param name="TotalTimeout">The bound on a call.</param>
/// <param name="AttemptTimeout">The bound on one attempt.</param>
/// <param name="MaxAttempts">Attempts per call.</param>
/// <param name="RetryBaseDelay">The first retry delay.</param>
/// <param name="RetryMaxDelay">The longest retry delay.</param>
/// <param name="RetryNonIdempotent">Whether non-idempotent methods are retried.</param>
/// <param name="FailureThreshold">Failures that open a circuit.</param>
/// <param name="SuccessThreshold">Half-open successes that close it.</param>
/// <param name="BreakDuration">How long a circuit stays open.</param>
/// <param name="CircuitBreakerEnabled">Whether breakers are on.</param>
/// <param name="MaxConnectionsPerServer">Pooled connections per instance.</param>
public sealed record EffectiveServiceOptions(
    string ServiceName,
    string LoadBalancingPolicy,
    TimeSpan TotalTimeout,
    TimeSpan AttemptTimeout,
    int MaxAttempts,
    TimeSpan RetryBaseDelay,
    TimeSpan RetryMaxDelay,
    bool RetryNonIdempotent,
    int FailureThreshold,
    int SuccessThreshold,
    TimeSpan BreakDuration,
    bool CircuitBreakerEnabled,
    int MaxConnectionsPerServer);

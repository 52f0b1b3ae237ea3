namespace Switchboard.Client.Resilience;

/// <summary>The tier presets (seed 001's communication patterns) and the built-in defaults.</summary>
/// <remarks>
/// Built-in: total 30 s, attempt 10 s, 3 attempts, backoff 1 s to 60 s, breaker 5 failures / 2 successes / 60 s, 10 connections.
/// <list type="table">
/// <item><term>web</term><description>total 10 s, attempt 3 s, 2 attempts, breaker 5 / 2 / 30 s: user-facing, fail fast.</description></item>
/// <item><term>app</term><description>the built-in defaults.</description></item>
/// <item><term>data</term><description>total 5 s, attempt 2 s, 2 attempts, backoff 100 ms to 1 s, breaker 3 / 2 / 30 s, 20 connections.</description></item>
/// <item><term>ml</term><description>total 120 s, attempt 60 s, 2 attempts, breaker 3 / 1 / 120 s, 4 connections: slow, expensive calls.</description></item>
/// <item><term>monitoring</term><description>total 5 s, attempt 2 s, 1 attempt (no retry), breaker 10 / 1 / 15 s.</description></item>
/// </list>
/// </remarks>
public static class ServiceTiers
{
    /// <summary>Web tier.</summary>
    public const string Web = "web";

    /// <summary>Application tier.</summary>
    public const string App = "app";

    /// <summary>Data tier.</summary>
    public const string Data = "data";

    /// <summary>Machine-learning tier.</summary>
    public const string Ml = "ml";

    /// <summary>Monitoring tier.</summary>
    public const string Monitoring = "monitoring";

    /// <summary>The names of the presets.</summary>
    public static IReadOnlyList<string> Names { get; } = [Web, App, Data, Ml, Monitoring];

    internal static EffectiveServiceOptions BuiltIn(string service, string policy) => new(
        service, policy, ServiceDefaults.TotalTimeout, ServiceDefaults.AttemptTimeout, ServiceDefaults.MaxAttempts,
        ServiceDefaults.RetryBaseDelay, ServiceDefaults.RetryMaxDelay, ServiceDefaults.RetryNonIdempotent,
        ServiceDefaults.FailureThreshold, ServiceDefaults.SuccessThreshold, ServiceDefaults.BreakDuration,
        ServiceDefaults.CircuitBreakerEnabled, ServiceDefaults.MaxConnectionsPerServer);

    internal static ServiceOptions? Preset(string? tier) => tier?.ToLowerInvariant() switch
    {
        Web => new() { TotalTimeout = TimeSpan.FromSeconds(10), AttemptTimeout = TimeSpan.FromSeconds(3), MaxAttempts = 2, FailureThreshold = 5, SuccessThreshold = 2, BreakDuration = TimeSpan.FromSeconds(30) },
        App => new(),
        Data => new() { TotalTimeout = TimeSpan.FromSeconds(5), AttemptTimeout = TimeSpan.FromSeconds(2), MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromSeconds(1), FailureThreshold = 3, SuccessThreshold = 2, BreakDuration = TimeSpan.FromSeconds(30), MaxConnectionsPerServer = 20 },
        Ml => new() { TotalTimeout = TimeSpan.FromSeconds(120), AttemptTimeout = TimeSpan.FromSeconds(60), MaxAttempts = 2, FailureThreshold = 3, SuccessThreshold = 1, BreakDuration = TimeSpan.FromSeconds(120), MaxConnectionsPerServer = 4 },
        Monitoring => new() { TotalTimeout = TimeSpan.FromSeconds(5), AttemptTimeout = TimeSpan.FromSeconds(2), MaxAttempts = 1, FailureThreshold = 10, SuccessThreshold = 1, BreakDuration = TimeSpan.FromSeconds(15) },
        _ => null,
    };

    /// <summary>Applies, in order: built-in, <paramref name="defaults"/>, the tier preset, <paramref name="service"/>.</summary>
    internal static EffectiveServiceOptions Resolve(string serviceName, string defaultPolicy, ServiceOptions defaults, ServiceOptions? service)
    {
        var result = BuiltIn(serviceName, defaultPolicy);
        result = Apply(result, defaults);
        if (Preset(service?.Tier ?? defaults.Tier) is { } preset)
            result = Apply(result, preset);
        return service is null ? result : Apply(result, service);
    }

    private static EffectiveServiceOptions Apply(EffectiveServiceOptions e, ServiceOptions o) => e with
    {
        LoadBalancingPolicy = o.LoadBalancingPolicy ?? e.LoadBalancingPolicy,
        TotalTimeout = o.TotalTimeout ?? e.TotalTimeout,
        AttemptTimeout = o.AttemptTimeout ?? e.AttemptTimeout,
        MaxAttempts = o.MaxAttempts ?? e.MaxAttempts,
        RetryBaseDelay = o.RetryBaseDelay ?? e.RetryBaseDelay,
        RetryMaxDelay = o.RetryMaxDelay ?? e.RetryMaxDelay,
        RetryNonIdempotent = o.RetryNonIdempotent ?? e.RetryNonIdempotent,
        FailureThreshold = o.FailureThreshold ?? e.FailureThreshold,
        SuccessThreshold = o.SuccessThreshold ?? e.SuccessThreshold,
        BreakDuration = o.BreakDuration ?? e.BreakDuration,
        CircuitBreakerEnabled = o.CircuitBreakerEnabled ?? e.CircuitBreakerEnabled,
        MaxConnectionsPerServer = o.MaxConnectionsPerServer ?? e.MaxConnectionsPerServer,
    };
}

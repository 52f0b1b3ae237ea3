namespace Switchboard.Client.Calls;

/// <summary>Response caching of one call (seed 003 <c>cached_service_call</c>), on <c>HybridCache</c>.</summary>
public sealed record CacheOptions
{
    /// <summary>How long an answer is served from the cache without calling the service.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The cache key; when null, <c>{service}:{path and query}</c> plus <see cref="VaryBy"/>.</summary>
    /// <value>The default value is null.</value>
    public string? Key { get; init; }

    /// <summary>Values the key varies by (for example a user id or a request header's value).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> VaryBy { get; init; } = [];

    /// <summary>When the call fails, serve the last cached answer even if older than <see cref="Ttl"/> (marked <c>Degraded</c>).</summary>
    /// <value>The default value is true.</value>
    public bool CacheOnError { get; init; } = true;

    /// <summary>How long an answer is kept for <see cref="CacheOnError"/> after its TTL.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan StaleTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Call the service even when a fresh answer is cached, and store the new answer.</summary>
    /// <value>The default value is false.</value>
    public bool ForceRefresh { get; init; }
}

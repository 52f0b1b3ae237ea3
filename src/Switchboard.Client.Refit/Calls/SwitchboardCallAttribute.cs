namespace Switchboard.Client.Calls;

/// <summary>Per-method settings of a typed (Refit) client method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SwitchboardCallAttribute : Attribute
{
    /// <summary>Retry this method even when its HTTP method is not idempotent (POST, PATCH).</summary>
    /// <value>The default value is false.</value>
    public bool AllowRetry { get; init; }

    /// <summary>
    /// Cache successful answers of this GET method for this many seconds (seed 003 <c>cached_service_call</c>), keyed by
    /// service, path and query (<c>switchboard:{service}:{path and query}</c>, clear it with
    /// <see cref="IServiceClient.ClearCacheAsync"/>); 0 turns caching off. A request with <c>Cache-Control: no-cache</c>
    /// calls the service and refreshes the entry. Cached answers carry an <c>X-Switchboard-Cache</c> header: <c>hit</c>,
    /// or <c>stale</c> when served because the call failed.
    /// </summary>
    /// <value>The default value is 0 (no caching).</value>
    public int CacheSeconds { get; init; }

    /// <summary>When the call fails (no answer, or a 5xx/408/429), serve the last cached answer even if older than <see cref="CacheSeconds"/>.</summary>
    /// <value>The default value is true.</value>
    public bool CacheOnError { get; init; } = true;

    /// <summary>How many seconds an answer is kept for <see cref="CacheOnError"/> after <see cref="CacheSeconds"/>.</summary>
    /// <value>The default value is 3600 (1 hour).</value>
    public int StaleSeconds { get; init; } = 3600;
}

using Switchboard.Client.Discovery;

namespace Switchboard.Client.Calls;

/// <summary>Settings of one call, over the service's options.</summary>
public sealed record CallOptions
{
    /// <summary>Retry this call even when its method is not idempotent (POST, PATCH).</summary>
    /// <value>The default value is false.</value>
    public bool AllowRetry { get; init; }

    /// <summary>Only instances matching this query (version, tags, metadata) take the call.</summary>
    /// <value>The default value is null (every healthy instance).</value>
    public InstanceQuery? Instances { get; init; }

    /// <summary>Extra request headers.</summary>
    /// <value>The default value is null.</value>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The X-Request-ID to send; when null the incoming request's is propagated, else a new one is made.</summary>
    /// <value>The default value is null.</value>
    public string? RequestId { get; init; }

    /// <summary>Response caching for this call (GET only).</summary>
    /// <value>The default value is null (no caching).</value>
    public CacheOptions? Cache { get; init; }
}

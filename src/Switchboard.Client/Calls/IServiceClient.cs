namespace Switchboard.Client.Calls;

/// <summary>
/// Calls services by name through discovery, load balancing and the resilience pipeline, with JSON in and out.
/// The methods never throw for call failures: they return a failed <see cref="ServiceResult{T}"/> (use
/// <see cref="ServiceResult{T}.EnsureSuccess"/> or the <c>...OrThrowAsync</c> extensions for exceptions).
/// </summary>
public interface IServiceClient
{
    /// <summary>Sends a request to <paramref name="serviceName"/>.</summary>
    /// <typeparam name="T">The type the answer's JSON body is read as (<see cref="string"/> for raw text).</typeparam>
    /// <param name="method">The HTTP method.</param>
    /// <param name="serviceName">The service.</param>
    /// <param name="path">The path and query, relative to the instance's base path.</param>
    /// <param name="body">The body, written as JSON; null for none.</param>
    /// <param name="options">Per-call settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    Task<ServiceResult<T>> SendAsync<T>(HttpMethod method, string serviceName, string path, object? body = null, CallOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a cached answer (see <see cref="CacheOptions"/>).</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when the entry is removed.</returns>
    ValueTask ClearCacheAsync(string key, CancellationToken cancellationToken = default);
}

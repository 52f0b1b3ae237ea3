using System.Runtime.ExceptionServices;
using Switchboard.Client.Caching;
using Switchboard.Client.Discovery;
using Switchboard.Client.Resilience;

namespace Switchboard.Client.Calls;

/// <summary>Response caching around the one call path: JSON calls with <see cref="CallOptions.Cache"/> and typed-client methods with a cache setting.</summary>
internal sealed partial class ServiceClient
{
    /// <summary>A GET behind the response cache; the error handlers hear of a failure only when no cached answer covered it.</summary>
    private async Task<ServiceResult<T>> CachedCallAsync<T>(string service, string path, CacheOptions cache, CallOptions options, string requestId, CancellationToken ct)
    {
        var result = await CachedAsync(service, CacheKey(service, path, cache), cache, requestId, () => new ValueTask<ServiceResult<T>>(CallAsync<T>(HttpMethod.Get, service, path, null, options, requestId, notifyErrors: false, ct)), ct);
        return result.Success ? result : await NotifiedAsync(result, HttpMethod.Get, path, ct);
    }

    public ValueTask ClearCacheAsync(string key, CancellationToken cancellationToken = default) => _cache.RemoveAsync(key, cancellationToken);

    /// <summary>
    /// Serves <paramref name="key"/> from the cache while fresh, else makes the call and stores a success; when the call
    /// fails (not when the service answered with a 4xx), serves the last answer, even stale, if the options allow it.
    /// </summary>
    private async Task<ServiceResult<T>> CachedAsync<T>(string service, string key, CacheOptions cache, string requestId, Func<ValueTask<ServiceResult<T>>> call, CancellationToken ct)
    {
        CachedAnswer<T>? cached = null;
        if (!cache.ForceRefresh)
        {
            cached = await _cache.GetAsync<T>(key, ct);
            if (cached is not null && _cache.IsFresh(cached, cache.Ttl))
            {
                _instruments.CacheLookup(service, "hit");
                return new ServiceResult<T> { Success = true, Value = cached.Value, ServiceName = service, FromCache = true, RequestId = requestId };
            }
        }
        _instruments.CacheLookup(service, "miss");
        var result = await call();
        if (result.Success)
        {
            await _cache.SetAsync(key, result.Value, cache.CacheOnError ? cache.Ttl + cache.StaleTtl : cache.Ttl, ct);
            return result;
        }
        var answered = result.StatusCode is { } status && !FailureClassifier.IsFailureStatus(status);
        if (cache.CacheOnError && !answered && (cached ?? await _cache.GetAsync<T>(key, ct)) is { } stale)
        {
            _instruments.CacheLookup(service, "stale");
            return result with { Success = true, Value = stale.Value, Degraded = true, FromCache = true };
        }
        return result;
    }

    private static string CacheKey(string service, string path, CacheOptions cache) =>
        cache.Key ?? (cache.VaryBy.Count == 0 ? $"switchboard:{service}:{path}" : $"switchboard:{service}:{path}|{string.Join('|', cache.VaryBy)}");

    /// <summary>
    /// <see cref="SendRequestAsync"/> behind the response cache: a fresh cached 2xx answer is replayed without a call,
    /// a 2xx answer is stored, and when the call fails (no answer, or a 5xx/408/429) the last answer is replayed if
    /// <see cref="CacheOptions.CacheOnError"/> allows. Replayed answers carry <c>X-Switchboard-Cache: hit</c> or <c>stale</c>.
    /// </summary>
    internal async Task<HttpResponseMessage> SendCachedRequestAsync(string service, HttpRequestMessage request, bool allowRetry, CacheOptions cache, CancellationToken ct)
    {
        var requestId = RequestIdOf(request);
        HttpResponseMessage? answer = null;
        var result = await CachedAsync(service, CacheKey(service, request.RequestUri!.PathAndQuery, cache), cache, requestId, async () =>
        {
            try
            {
                answer = await SendRequestAsync(service, request, allowRetry, ct, requestId);
            }
            catch (Exception ex) when (ex is ServiceUnavailableException or CircuitOpenException or ServiceTimeoutException or ServiceCallException)
            {
                return new ServiceResult<CachedHttpAnswer> { Success = false, Error = ex.Message, Exception = ex, ServiceName = service, RequestId = requestId };
            }
            if (!answer.IsSuccessStatusCode)
                return new ServiceResult<CachedHttpAnswer> { Success = false, StatusCode = answer.StatusCode, ServiceName = service, RequestId = requestId };
            var stored = new CachedHttpAnswer((int)answer.StatusCode, await answer.Content.ReadAsByteArrayAsync(ct), answer.Content.Headers.ContentType?.ToString());
            return new ServiceResult<CachedHttpAnswer> { Success = true, Value = stored, StatusCode = answer.StatusCode, ServiceName = service, RequestId = requestId };
        }, ct);

        if (result.FromCache)
        {
            answer?.Dispose();
            return result.Value!.ToResponse(request, result.Degraded ? CachedHttpAnswer.Stale : CachedHttpAnswer.Hit);
        }
        if (answer is not null)
            return answer;
        ExceptionDispatchInfo.Throw(result.Exception!);
        return null;
    }
}

using Microsoft.Extensions.Caching.Hybrid;

namespace Switchboard.Client.Caching;

/// <summary>Cached answers on <see cref="HybridCache"/> (memory, plus a distributed cache when one is registered), with the time each was stored so stale ones can be told apart.</summary>
internal sealed class ServiceResponseCache(HybridCache cache, TimeProvider time)
{
    private static readonly HybridCacheEntryOptions ReadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    public async ValueTask<CachedAnswer<T>?> GetAsync<T>(string key, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync(key, static _ => ValueTask.FromResult<CachedAnswer<T>?>(null), ReadOnly, cancellationToken: cancellationToken);

    public ValueTask SetAsync<T>(string key, T value, TimeSpan keepFor, CancellationToken cancellationToken) =>
        cache.SetAsync(key, new CachedAnswer<T>(value, time.GetUtcNow()), new HybridCacheEntryOptions { Expiration = keepFor, LocalCacheExpiration = keepFor }, cancellationToken: cancellationToken);

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken) => cache.RemoveAsync(key, cancellationToken);

    public bool IsFresh<T>(CachedAnswer<T> answer, TimeSpan ttl) => time.GetUtcNow() - answer.StoredAt < ttl;
}

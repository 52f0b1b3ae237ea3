namespace Switchboard.Registry.KeyValues;

/// <summary>
/// A store that checks the size limits where it decides a put (the in-memory and embedded stores: under their writer's
/// gate), so concurrent puts of new keys cannot each pass against the same count. For any other store the key/value
/// service checks them against the mirror before the put, which concurrent puts can pass together.
/// </summary>
internal interface ILimitedKeyValueStore
{
    /// <summary>As <see cref="IKeyValueStore.PutAsync"/>, refusing a put past <paramref name="limits"/> before its <c>cas</c> is decided.</summary>
    /// <exception cref="KeyValueStoreFullException">A new key or a larger value past <paramref name="limits"/>; nothing was changed.</exception>
    Task<KvWriteResult> PutAsync(string key, byte[] value, long flags, long? cas, KeyValueOptions limits, CancellationToken cancellationToken);
}

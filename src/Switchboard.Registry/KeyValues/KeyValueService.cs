using Microsoft.Extensions.Options;
using Switchboard.KeyValues;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Notifications;

namespace Switchboard.Registry.KeyValues;

/// <summary>
/// The key/value engine over an <see cref="IKeyValueStore"/>: validation before a write reaches the store, the size limits
/// (decided with the write by an <see cref="ILimitedKeyValueStore"/>, else checked before it), reads from the store's mirror, and blocking waits through the one loop (<see cref="BlockingWait"/>).
/// </summary>
internal sealed class KeyValueService(IKeyValueStore store, IOptions<KeyValueOptions> options, IOptions<RegistryOptions> registry, TimeProvider time)
{
    /// <summary>The store.</summary>
    public IKeyValueStore Store => store;

    /// <summary>The settings.</summary>
    public KeyValueOptions Options { get; } = options.Value;

    /// <summary>The longest blocking wait (<see cref="RegistryOptions.MaxWait"/>).</summary>
    public TimeSpan MaxWait => registry.Value.MaxWait;

    /// <summary>The key/value index (the highest index of any change).</summary>
    public long Index => store.Mirror.Index;

    /// <summary>The entry of a valid key, or null.</summary>
    public KeyValueEntry? Get(string key) => store.Mirror.Get(key);

    /// <summary>Every entry under a valid prefix (empty: all), sorted by key.</summary>
    public IReadOnlyList<KeyValueEntry> List(string prefix) => store.Mirror.List(prefix);

    /// <summary>Whether <paramref name="key"/> is a secret (<see cref="KeyValueOptions.SecretsPrefix"/>).</summary>
    public bool IsSecret(string key) => Options.SecretsPrefix.Length > 0 && key.StartsWith(Options.SecretsPrefix, StringComparison.Ordinal);

    /// <summary>Whether a listing of <paramref name="prefix"/> may hold secrets (the prefix is under the secrets prefix, or the secrets prefix under it).</summary>
    public bool MayHoldSecrets(string prefix)
        => Options.SecretsPrefix.Length > 0
            && (prefix.StartsWith(Options.SecretsPrefix, StringComparison.Ordinal) || Options.SecretsPrefix.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The index of the last change to a key (or under a prefix): what a blocking query on it answers and compares.</summary>
    public long WatchIndex(string key, bool prefix) => store.Mirror.WatchIndex(key, prefix);

    /// <summary>
    /// Waits until a change to <paramref name="key"/> (or under it, with <paramref name="prefix"/>) past <paramref name="index"/>,
    /// or <paramref name="wait"/> (at most <see cref="MaxWait"/>) elapses; returns the watch index then. An index the store has
    /// never reached (from before a restart) answers at once, so the client starts over.
    /// </summary>
    public Task<long> WaitAsync(string key, bool prefix, long index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var mirror = store.Mirror;
        if (index > mirror.Index)
            return Task.FromResult(mirror.WatchIndex(key, prefix));
        return BlockingWait.RunAsync<long>(time, MaxWait, index, wait, () =>
        {
            var signal = mirror.Changed;
            var watched = mirror.WatchIndex(key, prefix);
            return (signal, watched, watched);
        }, cancellationToken);
    }

    /// <summary>Stores a value; see <see cref="IKeyValueStore.PutAsync"/>.</summary>
    /// <exception cref="KeyValueValidationException">The key, value or flags are invalid (names the field).</exception>
    /// <exception cref="KeyValueStoreFullException">A new key or a larger value past the store's limits.</exception>
    /// <exception cref="Storage.RegistryStoreUnavailableException">The store could not make it durable; nothing was kept.</exception>
    public Task<KvWriteResult> PutAsync(string key, byte[] value, long flags, long? cas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (KeyValueKeys.ValidateKey(key, out var normalized) is { } error)
            throw new KeyValueValidationException("key", error);
        if (value.Length > KeyValueLimits.MaxValueBytes)
            throw new KeyValueValidationException("value", $"value must be at most {KeyValueLimits.MaxValueBytes} bytes (it is {value.Length}).");
        if (flags < 0)
            throw new KeyValueValidationException("flags", "flags must be at least 0.");
        if (cas < 0)
            throw new KeyValueValidationException("cas", "cas must be at least 0.");
        if (store is ILimitedKeyValueStore limited)
            return limited.PutAsync(normalized, value, flags, cas, Options, cancellationToken);
        // Another store (Redis) decides puts elsewhere: the limits are checked against this node's mirror, so puts in flight may pass them together.
        KeyValueQuota.ThrowIfFull(Options, store.Mirror, store.Mirror.Get(normalized), value.Length);
        return store.PutAsync(normalized, value, flags, cas, cancellationToken);
    }

    /// <summary>Deletes a key, or every key under a prefix; see <see cref="IKeyValueStore.DeleteAsync"/>.</summary>
    /// <exception cref="KeyValueValidationException">The key is invalid, or <c>cas</c> is given with <paramref name="recurse"/>.</exception>
    /// <exception cref="Storage.RegistryStoreUnavailableException">The store could not make it durable; nothing was kept.</exception>
    public Task<KvWriteResult> DeleteAsync(string key, bool recurse, long? cas, CancellationToken cancellationToken)
    {
        var error = recurse ? KeyValueKeys.ValidatePrefix(key, "key", out var normalized) : KeyValueKeys.ValidateKey(key, out normalized);
        if (error is not null)
            throw new KeyValueValidationException("key", error);
        if (recurse && cas is not null)
            throw new KeyValueValidationException("cas", "cas cannot be combined with recurse.");
        if (cas < 0)
            throw new KeyValueValidationException("cas", "cas must be at least 0.");
        return store.DeleteAsync(normalized, recurse, cas, cancellationToken);
    }
}

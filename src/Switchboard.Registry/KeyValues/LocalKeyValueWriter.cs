namespace Switchboard.Registry.KeyValues;

/// <summary>
/// The writes of a store that alone holds its data (in memory, embedded): one write at a time decides the size limits
/// (<see cref="KeyValueQuota"/>) and its <c>cas</c> against the mirror, takes the next index, is made durable by <paramref name="persist"/>, and only then is shown in the
/// mirror. A persist that throws leaves the mirror (and the index) as it was.
/// </summary>
internal sealed class LocalKeyValueWriter(KeyValueMirror mirror, Func<KeyValueRecord, ValueTask> persist)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _closed;

    /// <summary>Waits for the write in progress, then refuses every later one (503): the store is closing.</summary>
    public async Task CloseAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        _closed = true;
        _gate.Release();
    }

    private void ThrowIfClosed()
    {
        if (_closed)
            throw new Storage.RegistryStoreUnavailableException("The key/value store is closed (the agent is stopping); nothing was written.", retryAfter: TimeSpan.FromSeconds(1));
    }

    /// <summary>Stores the value if the limits (null: none) and <paramref name="cas"/> allow it.</summary>
    /// <exception cref="KeyValueStoreFullException">The put would pass <paramref name="limits"/>.</exception>
    public async Task<KvWriteResult> PutAsync(string key, byte[] value, long flags, long? cas, KeyValueOptions? limits, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            var current = mirror.Get(key);
            if (limits is not null)
                KeyValueQuota.ThrowIfFull(limits, mirror, current, value.Length);
            if (!KvWriteResult.CasHolds(current, cas))
                return new KvWriteResult(false, mirror.Index);
            var index = mirror.Index + 1;
            var record = new KeyValueRecord(index, Put: new KeyValueEntry(key, value, flags, current?.CreateIndex ?? index, index));
            await persist(record).ConfigureAwait(false);
            record.ApplyTo(mirror);
            return new KvWriteResult(true, index);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<KvWriteResult> DeleteAsync(string key, bool recurse, long? cas, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            KeyValueRecord record;
            if (recurse)
            {
                if (mirror.List(key).Count == 0)
                    return new KvWriteResult(true, mirror.Index); // nothing to delete: no index is spent (as Consul)
                record = new KeyValueRecord(mirror.Index + 1, Tree: key);
            }
            else
            {
                var current = mirror.Get(key);
                if (current is null)
                    return new KvWriteResult(true, mirror.Index); // Consul: deleting a missing key succeeds, cas or not
                if (cas is { } expected && current.ModifyIndex != expected)
                    return new KvWriteResult(false, mirror.Index);
                record = new KeyValueRecord(mirror.Index + 1, Del: key);
            }
            await persist(record).ConfigureAwait(false);
            record.ApplyTo(mirror);
            return new KvWriteResult(true, record.I);
        }
        finally
        {
            _gate.Release();
        }
    }
}

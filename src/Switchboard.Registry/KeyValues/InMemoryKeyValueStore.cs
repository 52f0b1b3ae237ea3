namespace Switchboard.Registry.KeyValues;

/// <summary>Keeps the key/value entries in memory only: <c>switchboard agent --dev</c> and tests. A restart starts empty.</summary>
public sealed class InMemoryKeyValueStore : IKeyValueStore, ILimitedKeyValueStore
{
    private readonly LocalKeyValueWriter _writer;

    /// <summary>Creates an empty store.</summary>
    public InMemoryKeyValueStore() => _writer = new LocalKeyValueWriter(Mirror, static _ => ValueTask.CompletedTask);

    /// <inheritdoc />
    public string Kind => "memory";

    /// <inheritdoc />
    public KeyValueMirror Mirror { get; } = new();

    /// <inheritdoc />
    public Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<KvWriteResult> PutAsync(string key, byte[] value, long flags, long? cas, CancellationToken cancellationToken)
        => _writer.PutAsync(key, value, flags, cas, null, cancellationToken);

    /// <inheritdoc />
    Task<KvWriteResult> ILimitedKeyValueStore.PutAsync(string key, byte[] value, long flags, long? cas, KeyValueOptions limits, CancellationToken cancellationToken)
        => _writer.PutAsync(key, value, flags, cas, limits, cancellationToken);

    /// <inheritdoc />
    public Task<KvWriteResult> DeleteAsync(string key, bool recurse, long? cas, CancellationToken cancellationToken)
        => _writer.DeleteAsync(key, recurse, cas, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(_writer.CloseAsync());
}

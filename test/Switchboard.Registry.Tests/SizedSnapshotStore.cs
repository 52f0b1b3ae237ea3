using System.Runtime;
using Switchboard.Api;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests;

/// <summary>A store that loads a given snapshot (or fails with <paramref name="failure"/>), says it read <paramref name="storedBytes"/>, and notes the runtime's latency mode while loading.</summary>
internal sealed class SizedSnapshotStore(StoreSnapshot snapshot, long storedBytes, Exception? failure = null) : IRegistryStore, IStoredSize
{
    public GCLatencyMode? ModeDuringLoad { get; private set; }

    public string Kind => "test";

    public StoreHealth Health => new("test", "ok", null);

    public long StoredBytes() => storedBytes;

    public Task<StoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        ModeDuringLoad = GCSettings.LatencyMode;
        return failure is null ? Task.FromResult(snapshot) : Task.FromException<StoreSnapshot>(failure);
    }

    public Task PersistAsync(StoreWrite write) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using Switchboard.Api;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests;

/// <summary>A store that loads a given snapshot and accepts every write.</summary>
internal sealed class SnapshotStore(StoreSnapshot snapshot) : IRegistryStore
{
    public string Kind => "test";

    public StoreHealth Health => new("test", "ok", null);

    public Task<StoreSnapshot> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(snapshot);

    public Task PersistAsync(StoreWrite write) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

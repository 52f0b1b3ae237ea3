using Switchboard.Api;

namespace Switchboard.Registry.Storage;

/// <summary>A store that keeps nothing: <c>switchboard agent --dev</c> and tests. A restart starts empty.</summary>
public sealed class InMemoryRegistryStore : IRegistryStore
{
    private static readonly StoreHealth Ok = new("memory", "ok", null);

    /// <inheritdoc />
    public string Kind => "memory";

    /// <inheritdoc />
    public StoreHealth Health => Ok;

    /// <inheritdoc />
    public Task<StoreSnapshot> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(StoreSnapshot.Empty);

    /// <inheritdoc />
    public Task PersistAsync(StoreWrite write) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

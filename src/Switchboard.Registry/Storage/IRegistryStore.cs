using Switchboard.Api;

namespace Switchboard.Registry.Storage;

/// <summary>Where the catalog is made durable.</summary>
/// <remarks>
/// <para>The catalog keeps every instance in memory and serves reads from there; the store only makes
/// changes survive a restart. The contract, call by call:</para>
/// <list type="bullet">
/// <item><see cref="LoadAsync"/> is called once, before any write. It returns every instance that was
/// acknowledged (its <see cref="PersistAsync"/> task completed) and not removed since, with the highest
/// index persisted. It fails (throws) only when the stored data cannot be read at all; records it cannot
/// parse are skipped with a logged warning.</item>
/// <item><see cref="PersistAsync"/> is called in strictly increasing index order, from one thread at a time
/// (under the catalog's write lock). Calling it fixes the write's position; the returned task completes
/// when the write is durable (for the embedded store: flushed to the journal file and fsynced), and fails
/// when it cannot be made durable, in which case the store reports itself degraded in <see cref="Health"/>.
/// A write that failed may or may not be found by the next <see cref="LoadAsync"/>.</item>
/// <item>Heartbeats are never persisted: leases restored by <see cref="LoadAsync"/> restart with a grace period.</item>
/// </list>
/// </remarks>
public interface IRegistryStore : IAsyncDisposable
{
    /// <summary>The store's kind as <c>/health</c> shows it (<c>memory</c>, <c>embedded</c>, <c>redis</c>).</summary>
    string Kind { get; }

    /// <summary>The store's current state.</summary>
    StoreHealth Health { get; }

    /// <summary>Reads everything persisted.</summary>
    Task<StoreSnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Persists one change; see the type's remarks for ordering and durability.</summary>
    Task PersistAsync(StoreWrite write);
}

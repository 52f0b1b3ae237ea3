using Switchboard.Api;

namespace Switchboard.Registry.Storage;

/// <summary>Where the catalog is made durable.</summary>
/// <remarks>
/// <para>The catalog keeps every instance in memory and serves reads from there; the store only makes
/// changes survive a restart. The contract, call by call:</para>
/// <list type="bullet">
/// <item><see cref="LoadAsync"/> is called once, before any write. It returns every instance that was
/// acknowledged (its <see cref="PersistAsync"/> task completed) and not removed since, with the highest
/// index persisted. An incomplete last record (a crash mid-write, never acknowledged) is dropped with a logged
/// warning; it fails (throws, with one readable line naming the path and the cause) when the stored data cannot be read
/// or is damaged anywhere else, unless the store was told to recover what is valid.</item>
/// <item><see cref="PersistAsync"/> is called in strictly increasing index order, from one thread at a time
/// (under the catalog's write lock). Calling it fixes the write's position; the returned task completes
/// when the write is durable (for the embedded store: flushed to the journal file and fsynced), and fails
/// when it cannot be made durable (<see cref="RegistryStoreUnavailableException"/> when a later retry may succeed), in
/// which case the store reports itself degraded in <see cref="Health"/> until a write succeeds again. A write that
/// failed is never found by the next <see cref="LoadAsync"/> (a shared store may differ, see below).</item>
/// <item>Heartbeats are never persisted: leases restored by <see cref="LoadAsync"/> restart with a grace period.</item>
/// </list>
/// <para><b>Shared stores.</b> A store that several registry nodes share (Redis) also implements
/// <see cref="ISharedRegistryStore"/>, and the contract above changes as follows:</para>
/// <list type="bullet">
/// <item>The store is the source of truth; the catalog is a replica. Before <see cref="LoadAsync"/> the catalog
/// hands itself to <see cref="ISharedRegistryStore.Attach"/>; from then on the store applies every change made
/// elsewhere (by another node, or by the store itself when it repairs a divergence) through
/// <see cref="ICatalogReplica.Apply"/>, which changes the catalog and wakes its watchers without calling
/// <see cref="PersistAsync"/> again.</item>
/// <item>The indexes the catalog passes to <see cref="PersistAsync"/> are provisional: the store assigns the
/// shared index (never lower than the provisional one when it can) and reports it through
/// <see cref="ICatalogReplica.Confirm"/>, so every node labels one change with one index.</item>
/// <item>Leases and TTL-check deadlines are shared: the catalog reports every renewal through
/// <see cref="ISharedRegistryStore.RenewAsync"/> (false: the shared state no longer has the instance, which must
/// register again), and asks <see cref="ISharedRegistryStore.ReadDeadlinesAsync"/> for the cluster-wide
/// deadline of each lease or TTL check before it expires one.</item>
/// <item>Deadlines (lease expiry, TTL checks, reaping) and active HTTP/TCP checks run only while
/// <see cref="ISharedRegistryStore.RunsDeadlines"/> is true: on one node of the cluster at a time, and on none
/// while the store cannot see the shared state.</item>
/// <item>A persisted write may be refused by the shared state (an update of an instance another node removed, an
/// expiry that raced a heartbeat): the store then restores the shared truth through
/// <see cref="ICatalogReplica.Apply"/> with <see cref="ReplicatedChange.Force"/>.</item>
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

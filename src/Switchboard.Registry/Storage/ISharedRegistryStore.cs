namespace Switchboard.Registry.Storage;

/// <summary>A store shared by several registry nodes, each serving reads from its own catalog replica.</summary>
/// <remarks>See the remarks of <see cref="IRegistryStore"/> for how the contract changes for a shared store.</remarks>
public interface ISharedRegistryStore : IRegistryStore
{
    /// <summary>This node's id in the cluster.</summary>
    string NodeId { get; }

    /// <summary>
    /// Whether this node may expire leases, expire TTL checks, reap critical instances and probe HTTP/TCP checks
    /// now: true on one node of the cluster at a time, false on every node that cannot see the shared state.
    /// </summary>
    bool RunsDeadlines { get; }

    /// <summary>How many shared indexes this node's replica is behind the shared index it last saw (0 when caught up).</summary>
    long ReplicationLag { get; }

    /// <summary>Receives the catalog the store keeps up to date; called once, before <see cref="IRegistryStore.LoadAsync"/>.</summary>
    void Attach(ICatalogReplica replica);

    /// <summary>Records renewed deadlines of an instance (a heartbeat or a TTL-check report) in the shared state.</summary>
    /// <returns>False when the shared state no longer has the instance (it expired or was removed on another node).</returns>
    ValueTask<bool> RenewAsync(LeaseRenewal renewal, CancellationToken cancellationToken);

    /// <summary>
    /// The cluster-wide deadline of each lease or TTL check in <paramref name="keys"/>, in the same order; null when the
    /// shared state does not know it (the catalog then keeps its own). Never throws: when the shared state cannot be read
    /// it answers deadlines far enough in the future that nothing expires.
    /// </summary>
    ValueTask<IReadOnlyList<DateTimeOffset?>> ReadDeadlinesAsync(IReadOnlyList<DeadlineKey> keys, CancellationToken cancellationToken);
}

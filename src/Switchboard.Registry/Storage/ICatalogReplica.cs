namespace Switchboard.Registry.Storage;

/// <summary>The side of the catalog a shared store drives: changes made elsewhere are applied here and never written back.</summary>
public interface ICatalogReplica
{
    /// <summary>The catalog's current index.</summary>
    long Index { get; }

    /// <summary>
    /// Applies a change: the instance is put (created or replaced verbatim) or removed, the service's watchers and
    /// event subscribers are woken, and the catalog index moves up to <see cref="ReplicatedChange.Index"/>.
    /// Unless <see cref="ReplicatedChange.Force"/> is set, a change older than what the catalog holds for the instance
    /// (by modify index) is ignored.
    /// </summary>
    /// <param name="change">The change.</param>
    /// <remarks>Changes of this node the store has acknowledged are made visible first, so events stay in index order.</remarks>
    /// <param name="isHeld">
    /// Evaluated under the catalog's write lock, so after every write the catalog has handed to the store: when it returns
    /// true for the instance id, the change is ignored (the store holds a newer write of this node for that instance).
    /// </param>
    void Apply(ReplicatedChange change, Func<string, bool>? isHeld = null);

    /// <summary>
    /// Records the shared index given to a change this node persisted at <paramref name="provisionalIndex"/>: when the
    /// instance still carries that index it is relabelled, and the service's view moves up to <paramref name="index"/>.
    /// Called before the change's <see cref="IRegistryStore.PersistAsync"/> task completes, the change becomes visible at
    /// the shared index (its event, its answer, the service's index), so each node's readers see changes in the shared order.
    /// </summary>
    /// <param name="instanceId">The instance the change was about.</param>
    /// <param name="serviceName">Its service.</param>
    /// <param name="provisionalIndex">The index the catalog gave the change.</param>
    /// <param name="index">The index the shared store gave it.</param>
    /// <param name="createIndex">The instance's create index in the shared store (for a put).</param>
    void Confirm(string instanceId, string serviceName, long provisionalIndex, long index, long createIndex);

    /// <summary>The store lost changes on their way to this node (a gap in its messages, a reconnection): every event-stream subscriber is told to read the catalog again.</summary>
    /// <param name="reason">What was lost, for the subscribers.</param>
    void ResetSubscribers(string reason);

    /// <summary>Every instance the catalog holds with its modify index, to compare with the shared state.</summary>
    IReadOnlyList<InstanceVersion> Versions();
}

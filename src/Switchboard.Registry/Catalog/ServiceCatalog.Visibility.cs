using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registry.Leases;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Catalog;

/// <summary>
/// Commit before visible: a change reaches readers, blocking queries and the event stream only after the store
/// acknowledged it, in index order; a change the store refused is rolled back so the catalog is as it was.
/// </summary>
/// <remarks>
/// Writes still group-commit: the write lock only proposes a change (write side: <see cref="InstanceState.Instance"/>,
/// the indexes) and hands it to the store; the changes are drained in index order as the store acknowledges them.
/// One change per instance is in flight at a time (a write to an instance with a pending change waits for it), so a
/// rollback restores the instance to exactly what readers see (<see cref="InstanceState.Committed"/>).
/// </remarks>
public sealed partial class ServiceCatalog
{
    /// <summary>How soon a deadline whose removal the store refused is tried again.</summary>
    private static readonly TimeSpan RetryAfterRefusal = TimeSpan.FromSeconds(1);

    private static readonly Action<Task, object?> DrainWhenPersisted = static (_, catalog) => ((ServiceCatalog)catalog!).Drain();

    private readonly Queue<PendingChange> _pendingChanges = new();

    /// <summary>How many changes wait for the store.</summary>
    internal int PendingChanges
    {
        get
        {
            lock (_writeLock)
                return _pendingChanges.Count;
        }
    }

    /// <summary>Bumps the index and hands the change to the store; it becomes visible when drained. Call under the write lock, then <see cref="DrainUnderLock"/> before leaving it.</summary>
    /// <param name="type">The event type.</param>
    /// <param name="instance">The instance after the change; null for a removal.</param>
    /// <param name="state">The instance's bookkeeping.</param>
    /// <param name="registration">True when the put comes from a registration (a shared store lets only those create an instance).</param>
    /// <param name="previousChecks">The check runtimes a re-registration replaced, to restore on a rollback.</param>
    /// <param name="deadline">For a removal by a deadline: what to re-arm on a rollback.</param>
    private PendingChange Commit(string type, ServiceInstance? instance, InstanceState state, bool registration = false,
        CheckRuntime[]? previousChecks = null, (DeadlineKind Kind, CheckRuntime? Check)? deadline = null)
    {
        var index = ++_index;
        var at = _time.GetUtcNow();
        StoreWrite write;
        if (instance is not null)
        {
            instance = instance with { ModifyIndex = index, CreateIndex = instance.CreateIndex == 0 ? index : instance.CreateIndex };
            state.Instance = instance;
            write = StoreWrite.Put(index, instance) with { Type = type, Registration = registration, At = at };
        }
        else
        {
            write = StoreWrite.Remove(index, state.Instance.InstanceId) with { Type = type, ServiceName = state.Instance.ServiceName, At = at };
        }
        var change = new PendingChange(index, type, state, instance, PersistSafely(write))
        {
            PreviousChecks = previousChecks,
            InstalledChecks = previousChecks is null ? null : state.Checks,
            Deadline = deadline,
        };
        state.Pending = change;
        _pendingChanges.Enqueue(change);
        return change;
    }

    private Task PersistSafely(StoreWrite write)
    {
        try
        {
            return _store.PersistAsync(write);
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    private void Drain()
    {
        lock (_writeLock)
            DrainUnderLock();
    }

    /// <summary>Makes visible (or rolls back) every change at the head of the queue the store has answered, in index order. Call under the write lock.</summary>
    private void DrainUnderLock()
    {
        if (_pendingChanges.Count == 0)
            return;
        Dictionary<ServiceEntry, long>? touched = null;
        List<(PendingChange Change, RegistryStoreUnavailableException? Refusal)>? finished = null;
        while (_pendingChanges.TryPeek(out var head) && head.Persisted.IsCompleted)
        {
            _pendingChanges.Dequeue();
            if (head.State.Pending == head)
                head.State.Pending = null;
            RegistryStoreUnavailableException? refusal = null;
            if (head.Persisted.IsCompletedSuccessfully)
                MakeVisible(head, ref touched);
            else
                RollBack(head, refusal = Refusal(head));
            (finished ??= []).Add((head, refusal));
        }
        if (touched is not null)
        {
            foreach (var (entry, index) in touched)
                entry.Publish(index);
        }
        if (finished is not null)
        {
            foreach (var (change, refusal) in finished)
            {
                if (refusal is null)
                    change.Visible.TrySetResult();
                else
                    change.Visible.TrySetException(refusal);
            }
        }
        if (_pendingChanges.TryPeek(out var next) && !next.Watched)
        {
            next.Watched = true;
            next.Persisted.ContinueWith(DrainWhenPersisted, this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private void MakeVisible(PendingChange change, ref Dictionary<ServiceEntry, long>? touched)
    {
        var state = change.State;
        if (state.Removed)
            return; // a shared store removed it meanwhile
        var previous = state.Committed;
        var index = change.VisibleIndex;
        if (change.IsRemoval)
        {
            var serviceName = previous?.ServiceName ?? state.Instance.ServiceName;
            Forget(state, ref touched, index);
            Log.Removed(_logger, state.Instance.InstanceId, serviceName, change.Type);
            Diagnostics.RegistryTelemetry.Changed(change.Type, serviceName);
            Tally.Count(change.Type);
            Events.Publish(new CatalogEvent(change.Type, index, serviceName, state.Instance.InstanceId, HealthStatus.Critical, null));
            return;
        }
        var instance = state.Instance; // the change's instance, or what a shared store put since
        RecordTransitions(state, previous, instance, index);
        state.VisibleChecks = state.Checks;
        state.Committed = instance;
        if (previous is not null && previous.ServiceName != instance.ServiceName && _services.TryGetValue(previous.ServiceName, out var oldEntry))
        {
            if (oldEntry.Instances.TryGetValue(instance.InstanceId, out var held) && held == state)
                oldEntry.Instances.Remove(instance.InstanceId);
            Touch(ref touched, oldEntry, index);
        }
        if (_services.TryGetValue(instance.ServiceName, out var entry))
            Touch(ref touched, entry, index);
        var published = change.VisibleInstance ?? instance;
        Events.Publish(new CatalogEvent(change.Type, index, published.ServiceName, published.InstanceId, published.Status, published));
        Diagnostics.RegistryTelemetry.Changed(change.Type, published.ServiceName);
        Tally.Count(change.Type);
    }

    /// <summary>Takes the instance out of every index and every service entry that holds it. Call under the write lock.</summary>
    private void Forget(InstanceState state, ref Dictionary<ServiceEntry, long>? touched, long index)
    {
        var id = state.Instance.InstanceId;
        var committedService = state.Committed?.ServiceName;
        state.Removed = true;
        state.Committed = null;
        if (_byId.TryGetValue(id, out var current) && current == state)
            _byId.TryRemove(id, out _);
        UnindexChecks(state);
        foreach (var name in new[] { state.Instance.ServiceName, committedService })
        {
            if (name is null || !_services.TryGetValue(name, out var entry))
                continue;
            if (entry.Instances.TryGetValue(id, out var held) && held == state)
            {
                entry.Instances.Remove(id);
                if (name == committedService)
                    Touch(ref touched, entry, index);
            }
        }
        _instanceCount--;
    }

    private static void Touch(ref Dictionary<ServiceEntry, long>? touched, ServiceEntry entry, long index)
    {
        touched ??= [];
        touched[entry] = touched.TryGetValue(entry, out var seen) ? Math.Max(seen, index) : index;
    }

    /// <summary>Puts the write side of the instance back to what readers see. Call under the write lock.</summary>
    private void RollBack(PendingChange change, RegistryStoreUnavailableException refusal)
    {
        var state = change.State;
        Log.RolledBack(_logger, change.Type, state.Instance.InstanceId, change.Index, refusal.Message);
        if (state.Removed)
            return;
        if (change.IsRemoval)
        {
            RearmAfterRefusedRemoval(change);
            return;
        }
        var committed = state.Committed;
        if (committed is null)
        {
            Dictionary<ServiceEntry, long>? none = null;
            Forget(state, ref none, change.Index); // a registration that never became durable: readers never saw it
            return;
        }
        if (change.PreviousChecks is { } previousChecks && ReferenceEquals(state.Checks, change.InstalledChecks))
        {
            UnindexChecks(state);
            foreach (var check in state.Checks)
                check.ProbeGeneration++; // stops the probes of the checks that never became durable
            state.Checks = previousChecks;
            foreach (var check in previousChecks)
            {
                _byCheckId[check.CheckId] = check;
                if (check.IsActive)
                    ActiveCheckScheduled?.Invoke(check);
            }
        }
        foreach (var check in state.Checks)
        {
            if (check.Position < committed.Checks.Count && committed.Checks[check.Position] is { } seen && seen.CheckId == check.CheckId)
            {
                check.Status = seen.Status;
                check.Output = seen.Output;
                if (seen.Status != HealthStatus.Critical)
                    check.CriticalSince = 0;
            }
        }
        if (state.Instance.ServiceName != committed.ServiceName && _services.TryGetValue(state.Instance.ServiceName, out var movedTo)
            && movedTo.Instances.TryGetValue(committed.InstanceId, out var held) && held == state)
            movedTo.Instances.Remove(committed.InstanceId);
        state.Instance = committed;
        if (committed.Ttl is null)
            Volatile.Write(ref state.LeaseDeadline, 0);
        OutputsChanged(state); // an answer cached while the change was pending may show the outputs of runtimes just swapped out
    }

    /// <summary>A removal by a deadline the store refused: the instance stays and the deadline is tried again shortly.</summary>
    private void RearmAfterRefusedRemoval(PendingChange change)
    {
        var retry = Now + RetryAfterRefusal.Ticks;
        switch (change.Deadline)
        {
            case (DeadlineKind.Lease, _):
                Volatile.Write(ref change.State.LeaseDeadline, retry);
                _deadlines.Add(change.State, DeadlineKind.Lease, retry);
                break;
            case (DeadlineKind.Reap, { } check):
                _deadlines.Add(check, DeadlineKind.Reap, retry);
                break;
        }
    }

    private RegistryStoreUnavailableException Refusal(PendingChange change)
    {
        var failure = change.Persisted.Exception?.GetBaseException();
        return failure switch
        {
            RegistryStoreUnavailableException unavailable => unavailable,
            null => new RegistryStoreUnavailableException($"The {_store.Kind} store did not save the change (cancelled); nothing was changed.", retryAfter: RetryAfterRefusal),
            _ => new RegistryStoreUnavailableException($"The {_store.Kind} store could not save the change ({failure.Message}); nothing was changed.", failure, RetryAfterRefusal),
        };
    }

    /// <summary>
    /// After a write's locked part: waits for <paramref name="earlier"/> (a pending change of the same instance, whatever
    /// its outcome; returns true: propose again) or for <paramref name="change"/> to be visible (throws when it was refused).
    /// </summary>
    private static async Task<bool> SettleAsync(PendingChange? earlier, PendingChange? change, CancellationToken cancellationToken)
    {
        if (earlier is not null)
        {
            await AwaitSettledAsync(earlier, cancellationToken).ConfigureAwait(false);
            return true;
        }
        if (change is not null)
            await change.Visible.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>Waits until a pending change of the same instance is visible or rolled back, whatever its outcome.</summary>
    private static async Task AwaitSettledAsync(PendingChange pending, CancellationToken cancellationToken)
    {
        try
        {
            await pending.Visible.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryStoreUnavailableException)
        {
            // the earlier change was refused and rolled back; the caller's own change is tried on what readers see
        }
    }
}

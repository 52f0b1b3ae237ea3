using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog.Compaction;
using Switchboard.Registry.Leases;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Catalog;

/// <summary>The catalog as the replica of a shared store (<see cref="ISharedRegistryStore"/>).</summary>
public sealed partial class ServiceCatalog : ICatalogReplica
{
    /// <summary>Whether this node runs deadlines and active checks: always with a local store; with a shared store, only while the store says so.</summary>
    internal bool RunsDeadlines => _shared is null || _shared.RunsDeadlines;

    /// <summary>How far this node's replica is behind the shared index (0 with a store of its own).</summary>
    internal long ReplicationLag => _shared?.ReplicationLag ?? 0;

    /// <inheritdoc />
    void ICatalogReplica.Apply(ReplicatedChange change, Func<string, bool>? isHeld)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_writeLock)
        {
            DrainUnderLock(); // this node's acknowledged changes precede it in the shared order
            _index = Math.Max(_index, change.Index);
            _byId.TryGetValue(change.InstanceId, out var existing);
            if (isHeld is not null && isHeld(change.InstanceId))
            {
                if (!change.Force && existing?.Pending is not null)
                    ApplyBeforePending(existing, change);
                return;
            }
            var incoming = change.Instance is { } replicated ? InstanceCompaction.Compact(replicated) : null;
            if (!change.Force && existing is not null && existing.Instance.ModifyIndex >= (incoming?.ModifyIndex ?? change.Index))
                return; // older than what we hold
            var touched = new HashSet<ServiceEntry>();
            if (incoming is null)
            {
                if (existing is null)
                    return;
                RemoveReplicated(existing, touched);
            }
            else if (existing is null)
            {
                AddReplicated(incoming, touched);
            }
            else
            {
                ReplaceReplicated(existing, incoming, touched);
            }
            foreach (var entry in touched)
                entry.Publish(Math.Max(entry.View.Index, change.Index));
            Events.Publish(new CatalogEvent(change.Type, change.Index, incoming?.ServiceName ?? existing?.Instance.ServiceName ?? change.ServiceName, change.InstanceId,
                incoming?.Status ?? HealthStatus.Critical, incoming), reconciled: change.Force);
            Log.Replicated(_logger, change.Type, change.InstanceId, change.Index);
        }
    }

    /// <summary>
    /// A change another node made to an instance this node is writing: the shared order puts it before this node's pending
    /// change, so readers and the event stream see it now, and the pending change (the write side) lands after it.
    /// </summary>
    private void ApplyBeforePending(InstanceState state, ReplicatedChange change)
    {
        var committed = state.Committed;
        var incoming = change.Instance is { } replicated ? InstanceCompaction.Compact(replicated) : null;
        var serviceName = committed?.ServiceName ?? state.Instance.ServiceName;
        if (committed is not null && committed.ModifyIndex >= (incoming?.ModifyIndex ?? change.Index))
            return; // older than what readers see
        if (incoming is not null && incoming.ServiceName != serviceName)
            return; // a move to another service: the pending change settles the instance
        if (incoming is null && committed is null)
            return; // readers never saw it here
        state.Committed = incoming;
        if (_services.TryGetValue(serviceName, out var entry))
            entry.Publish(Math.Max(entry.View.Index, change.Index));
        Events.Publish(new CatalogEvent(change.Type, change.Index, serviceName, change.InstanceId, incoming?.Status ?? HealthStatus.Critical, incoming));
        Log.Replicated(_logger, change.Type, change.InstanceId, change.Index);
    }

    /// <inheritdoc />
    void ICatalogReplica.Confirm(string instanceId, string serviceName, long provisionalIndex, long index, long createIndex)
    {
        lock (_writeLock)
        {
            _index = Math.Max(_index, index);
            if (_byId.TryGetValue(instanceId, out var state) && state.Pending is { } pending && pending.Index == provisionalIndex)
            {
                // Not visible yet: it becomes visible at the shared index once the store acknowledges it.
                pending.SharedIndex = index;
                pending.SharedCreateIndex = createIndex;
            }
            if (state is not null && index != provisionalIndex)
            {
                if (state.Instance.ModifyIndex == provisionalIndex)
                    state.Instance = Relabel(state.Instance, index, createIndex);
                if (state.Committed is { } committed && committed.ModifyIndex == provisionalIndex)
                    state.Committed = Relabel(committed, index, createIndex);
            }
            if (_services.TryGetValue(serviceName, out var entry) && entry.View.Index < index && state?.Pending is null)
                entry.Publish(index);
        }
    }

    /// <inheritdoc />
    void ICatalogReplica.ResetSubscribers(string reason) => Events.CutOffAll(reason);

    private static ServiceInstance Relabel(ServiceInstance instance, long index, long createIndex)
        => instance with { ModifyIndex = index, CreateIndex = createIndex > 0 ? createIndex : instance.CreateIndex };

    /// <inheritdoc />
    IReadOnlyList<InstanceVersion> ICatalogReplica.Versions()
    {
        var versions = new List<InstanceVersion>(_byId.Count);
        foreach (var (id, state) in _byId)
            versions.Add(new InstanceVersion(id, state.Instance.ModifyIndex));
        return versions;
    }

    private void AddReplicated(ServiceInstance instance, HashSet<ServiceEntry> touched)
    {
        var now = Now;
        var state = new InstanceState(instance) { LastHeartbeat = now, Committed = instance };
        foreach (var check in state.Checks)
            ArmReplicatedCheck(check, now);
        RenewLease(state, instance.Ttl, now);
        var entry = EntryFor(instance.ServiceName);
        entry.Instances[instance.InstanceId] = state;
        _instanceCount++;
        IndexInstance(state);
        touched.Add(entry);
    }

    /// <summary>Replaces the instance verbatim; checks whose spec is unchanged keep their runtime (counters, deadlines, probe schedule).</summary>
    private void ReplaceReplicated(InstanceState state, ServiceInstance instance, HashSet<ServiceEntry> touched)
    {
        var now = Now;
        var old = state.Instance;
        var previous = state.Checks;
        var checks = new CheckRuntime[instance.Checks.Count];
        var fresh = new List<CheckRuntime>();
        for (var i = 0; i < checks.Length; i++)
        {
            var wanted = instance.Checks[i];
            var kept = i < previous.Length && previous[i].CheckId == wanted.CheckId && previous[i].Spec == wanted.Spec ? previous[i] : null;
            if (kept is null)
            {
                kept = new CheckRuntime(state, i, wanted);
                fresh.Add(kept);
            }
            else
            {
                kept.Status = wanted.Status;
                kept.Output = wanted.Output;
                if (wanted.Status != HealthStatus.Critical)
                    kept.CriticalSince = 0;
            }
            ArmReplicatedCheck(kept, now);
            checks[i] = kept;
        }
        foreach (var gone in previous.Where(p => Array.IndexOf(checks, p) < 0))
        {
            gone.ProbeGeneration++; // stops its probes
            if (_byCheckId.TryGetValue(gone.CheckId, out var current) && current == gone)
                _byCheckId.TryRemove(gone.CheckId, out _);
        }
        state.Checks = checks;
        state.Instance = instance;
        var committedService = state.Committed?.ServiceName;
        RecordTransitions(state, state.Committed, instance, instance.ModifyIndex);
        state.VisibleChecks = checks;
        state.Committed = instance;
        if (instance.Ttl is null)
            Volatile.Write(ref state.LeaseDeadline, 0);
        else if (Volatile.Read(ref state.LeaseDeadline) == 0)
            RenewLease(state, instance.Ttl, now);

        foreach (var name in new[] { old.ServiceName, committedService })
        {
            if (name is not null && name != instance.ServiceName && _services.TryGetValue(name, out var oldEntry))
            {
                oldEntry.Instances.Remove(old.InstanceId);
                touched.Add(oldEntry);
            }
        }
        var entry = EntryFor(instance.ServiceName);
        entry.Instances[instance.InstanceId] = state;
        touched.Add(entry);
        foreach (var check in checks)
            _byCheckId[check.CheckId] = check;
        foreach (var check in fresh.Where(c => c.IsActive))
            ActiveCheckScheduled?.Invoke(check);
    }

    private void ArmReplicatedCheck(CheckRuntime check, long now)
    {
        if (check.Spec is { Kind: HealthCheckKind.Ttl, Ttl: { } ttl } && check.TtlDeadline == 0)
        {
            check.TtlDeadline = now + ttl.Ticks;
            _deadlines.Add(check, DeadlineKind.CheckTtl, check.TtlDeadline);
        }
        if (check.Status == HealthStatus.Critical)
            MarkCritical(check, now);
    }

    private void RemoveReplicated(InstanceState state, HashSet<ServiceEntry> touched)
    {
        foreach (var check in state.Checks)
            check.ProbeGeneration++;
        Dictionary<ServiceEntry, long>? removedFrom = null;
        Forget(state, ref removedFrom, 0);
        if (removedFrom is not null)
            touched.UnionWith(removedFrom.Keys);
    }

    /// <summary>Before expiring, moves each due lease and TTL check to its cluster-wide deadline when another node renewed it.</summary>
    private async Task ExtendFromSharedAsync(List<(InstanceState State, CheckRuntime? Check, DeadlineKind Kind)> due, CancellationToken cancellationToken)
    {
        var keys = new List<DeadlineKey>();
        var owners = new List<(InstanceState State, CheckRuntime? Check)>();
        foreach (var (state, check, kind) in due)
        {
            if (kind == DeadlineKind.Reap || state.Removed)
                continue;
            keys.Add(new DeadlineKey(state.Instance.InstanceId, check?.CheckId));
            owners.Add((state, check));
        }
        if (keys.Count == 0)
            return;
        var shared = await _shared!.ReadDeadlinesAsync(keys, cancellationToken).ConfigureAwait(false);
        lock (_writeLock)
        {
            for (var i = 0; i < owners.Count && i < shared.Count; i++)
            {
                if (shared[i] is not { } deadline)
                    continue;
                var ticks = deadline.UtcTicks;
                var (state, check) = owners[i];
                if (check is null)
                {
                    var current = Volatile.Read(ref state.LeaseDeadline);
                    if (current > 0 && ticks > current)
                        Interlocked.CompareExchange(ref state.LeaseDeadline, ticks, current);
                }
                else if (check.TtlDeadline > 0 && ticks > check.TtlDeadline)
                {
                    check.TtlDeadline = ticks;
                }
            }
        }
    }

    /// <summary>Reports the renewed deadlines of <paramref name="state"/> (its lease and TTL checks, or only <paramref name="onlyCheck"/>) to a shared store.</summary>
    /// <returns>False when the shared store no longer has the instance.</returns>
    private ValueTask<bool> RenewSharedAsync(InstanceState state, CheckRuntime? onlyCheck, CancellationToken cancellationToken)
    {
        if (_shared is null)
            return ValueTask.FromResult(true);
        var checks = new List<CheckDeadline>();
        foreach (var check in state.Checks)
        {
            var deadline = check.TtlDeadline;
            if (check.Spec.Kind == HealthCheckKind.Ttl && deadline > 0 && (onlyCheck is null || onlyCheck == check))
                checks.Add(new CheckDeadline(check.CheckId, new DateTimeOffset(deadline, TimeSpan.Zero)));
        }
        var lease = onlyCheck is null ? LeaseExpiry(state) : null;
        return _shared.RenewAsync(new LeaseRenewal(state.Instance.InstanceId, lease, checks), cancellationToken);
    }

    /// <summary>An unchanged re-registration renews the shared lease; when the shared state lost the instance meanwhile, it is registered there again.</summary>
    private async Task<RegisterResult> RenewOrReassertAsync(InstanceState state, ServiceInstance registration, RegisterResult result, CancellationToken cancellationToken)
    {
        if (await RenewSharedAsync(state, null, cancellationToken).ConfigureAwait(false))
            return result;
        PendingChange? change = null;
        lock (_writeLock)
        {
            if (!state.Removed && state.Pending is null)
            {
                change = Commit(CatalogEventTypes.Registered, state.Instance, state, registration: true);
                result = new RegisterResult(state.Instance, true, change.Index);
                DrainUnderLock();
            }
        }
        if (change is null)
            return await RegisterAsync(registration, cancellationToken).ConfigureAwait(false);
        await change.Visible.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return result with { Instance = change.VisibleInstance ?? result.Instance, Index = change.VisibleIndex };
    }
}

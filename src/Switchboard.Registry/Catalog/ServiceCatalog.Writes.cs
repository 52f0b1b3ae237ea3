using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog.Compaction;
using Switchboard.Registry.Leases;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    /// <summary>Registers <paramref name="registration"/> (already validated by <see cref="RegistrationValidator"/>), or replaces the instance with the same id.</summary>
    /// <remarks>
    /// Idempotent: re-registering an unchanged instance renews its lease and bumps no index; a re-registration
    /// keeps the state of every check whose spec did not change. The task completes when the change is durable and
    /// visible; when the store refuses it, the task fails with <see cref="Storage.RegistryStoreUnavailableException"/>
    /// and the catalog is as it was.
    /// </remarks>
    /// <exception cref="CatalogFullException">The catalog holds <see cref="RegistryOptions.MaxInstances"/> instances.</exception>
    /// <exception cref="CheckIdConflictException">A check id of the registration belongs to another instance.</exception>
    /// <exception cref="InstanceIdOwnedException">The instance id is registered under another service.</exception>
    /// <exception cref="CheckTargetRefusedException">A check targets an address the registry may not probe.</exception>
    public async Task<RegisterResult> RegisterAsync(ServiceInstance registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        for (var i = 0; i < registration.Checks.Count; i++)
        {
            if (_checkTargets.Refusal(registration, i, out var field) is { } refusal)
                throw new CheckTargetRefusedException(field, refusal);
        }
        while (true)
        {
            RegisterResult result;
            PendingChange? change = null;
            PendingChange? earlier = null;
            InstanceState? unchanged = null;
            lock (_writeLock)
            {
                var now = Now;
                _byId.TryGetValue(registration.InstanceId, out var existing);
                if (existing?.Pending is { } pending)
                {
                    earlier = pending;
                    result = null!;
                }
                else
                {
                    if (existing is not null && existing.Instance.ServiceName != registration.ServiceName)
                        throw new InstanceIdOwnedException(registration.InstanceId, existing.Instance.ServiceName);
                    ClaimCheckIds(registration, existing);
                    if (existing is not null)
                    {
                        RenewLease(existing, registration.Ttl, now);
                        unchanged = RegistrationEquality.SameRegistration(existing.Instance, registration) ? existing : null;
                        result = unchanged is not null
                            ? new RegisterResult(existing.Instance, false, Math.Max(existing.Instance.ModifyIndex, _published.Index))
                            : Replace(existing, registration, now, out change);
                    }
                    else
                    {
                        if (_instanceCount >= _options.MaxInstances)
                            throw new CatalogFullException(_options.MaxInstances);
                        result = Add(registration, now, out change);
                    }
                    DrainUnderLock();
                }
            }
            if (await SettleAsync(earlier, change, cancellationToken).ConfigureAwait(false))
                continue; // an earlier change of the instance was pending: try again on what readers see
            if (change is not null)
                result = result with { Instance = change.VisibleInstance ?? result.Instance, Index = change.VisibleIndex }; // a shared store's index
            if (unchanged is not null && _shared is not null)
                return await RenewOrReassertAsync(unchanged, registration, result, cancellationToken).ConfigureAwait(false);
            return result;
        }
    }

    /// <summary>Refuses a registration whose check ids another instance owns (both APIs: check updates by id must reach one check). Call under the write lock.</summary>
    private void ClaimCheckIds(ServiceInstance registration, InstanceState? existing)
    {
        for (var i = 0; i < registration.Checks.Count; i++)
        {
            var id = registration.Checks[i].CheckId;
            if (_byCheckId.TryGetValue(id, out var owner) && owner.Owner != existing && !owner.Owner.Removed)
                throw new CheckIdConflictException(id, i, owner.Owner.Instance.InstanceId);
        }
    }

    private RegisterResult Add(ServiceInstance registration, long now, out PendingChange change)
    {
        var state = new InstanceState(InstanceCompaction.Compact(registration with { RegisteredAt = new DateTimeOffset(now, TimeSpan.Zero) })) { LastHeartbeat = now };
        change = Commit(CatalogEventTypes.Registered, state.Instance, state, registration: true);
        ArmDeadlines(state, now);
        var entry = EntryFor(registration.ServiceName);
        entry.Instances[registration.InstanceId] = state;
        _instanceCount++;
        IndexInstance(state);
        Log.Registered(_logger, registration.InstanceId, registration.ServiceName, change.Index);
        return new RegisterResult(state.Instance, true, change.Index);
    }

    private RegisterResult Replace(InstanceState state, ServiceInstance registration, long now, out PendingChange change)
    {
        var old = state.Instance;
        var oldChecks = state.Checks;
        var previousChecks = oldChecks.ToDictionary(c => c.CheckId, StringComparer.Ordinal);
        UnindexChecks(state);
        foreach (var check in oldChecks)
            check.ProbeGeneration++; // stops probes scheduled for the old checks

        // Keep the live state of every check whose spec is unchanged.
        var merged = KeepMaintenance(registration.Checks
            .Select(c => previousChecks.TryGetValue(c.CheckId, out var prev) && prev.Spec == c.Spec ? prev.ToInstanceCheck() : c)
            .ToArray(), previousChecks, registration.InstanceId);
        var updated = InstanceCompaction.Compact(registration with
        {
            RegisteredAt = old.RegisteredAt,
            CreateIndex = old.CreateIndex,
            Checks = merged,
            Status = merged.Length > 0 ? ServiceInstance.Worst(merged) : old.Status,
            Output = old.Output,
        });
        var checks = updated.Checks.Select((c, i) => new CheckRuntime(state, i, c)).ToArray();
        foreach (var check in checks)
        {
            if (previousChecks.TryGetValue(check.CheckId, out var prev) && prev.Spec == check.Spec)
                CarryOver(prev, check);
        }
        state.Checks = checks;

        change = Commit(CatalogEventTypes.Updated, updated, state, registration: true, previousChecks: oldChecks);
        ArmDeadlines(state, now);
        var entry = EntryFor(registration.ServiceName);
        entry.Instances[registration.InstanceId] = state; // the old service's entry keeps it until the move is visible
        IndexInstance(state);
        OutputsChanged(state); // the check index now finds the new runtimes' outputs for the view readers still see
        Log.Updated(_logger, registration.InstanceId, registration.ServiceName, change.Index);
        return new RegisterResult(state.Instance, false, change.Index);
    }

    private static void CarryOver(CheckRuntime from, CheckRuntime to)
    {
        to.LatestOutput = from.LatestOutput;
        to.ConsecutiveFailures = from.ConsecutiveFailures;
        to.ConsecutiveSuccesses = from.ConsecutiveSuccesses;
        to.CriticalSince = from.CriticalSince;
        to.TtlDeadline = 0; // re-armed below with a fresh TTL
    }

    private void ArmDeadlines(InstanceState state, long now)
    {
        RenewLease(state, state.Instance.Ttl, now);
        foreach (var check in state.Checks)
        {
            if (check.Spec is { Kind: HealthCheckKind.Ttl, Ttl: { } checkTtl } && check.TtlDeadline == 0)
            {
                check.TtlDeadline = now + checkTtl.Ticks;
                _deadlines.Add(check, DeadlineKind.CheckTtl, check.TtlDeadline);
            }
            if (check.Status == HealthStatus.Critical)
                MarkCritical(check, now);
        }
    }

    private void RenewLease(InstanceState state, TimeSpan? ttl, long now)
    {
        state.LastHeartbeat = now;
        if (ttl is null)
        {
            Volatile.Write(ref state.LeaseDeadline, 0);
            return;
        }
        var previous = Interlocked.Exchange(ref state.LeaseDeadline, now + ttl.Value.Ticks);
        if (previous == 0)
            _deadlines.Add(state, DeadlineKind.Lease, now + ttl.Value.Ticks);
    }

    /// <summary>Removes an instance. Returns false when the catalog does not know it.</summary>
    /// <remarks>The task completes when the removal is durable and visible; when the store refuses it, it fails with <see cref="Storage.RegistryStoreUnavailableException"/> and the instance stays.</remarks>
    public async Task<bool> DeregisterAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        while (true)
        {
            PendingChange? earlier = null;
            PendingChange? change = null;
            lock (_writeLock)
            {
                if (!_byId.TryGetValue(instanceId, out var state) || state.Removed)
                    return false;
                if (state.Pending is { } pending)
                    earlier = pending;
                else
                {
                    change = ProposeRemoval(state, CatalogEventTypes.Deregistered);
                    DrainUnderLock();
                }
            }
            if (await SettleAsync(earlier, change, cancellationToken).ConfigureAwait(false))
                continue; // an earlier change of the instance was pending: try again on what readers see
            return true;
        }
    }

    /// <summary>Renews an instance's lease and records the status it reports on its TTL checks (or, when it has no checks, as its own status).</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="reportedStatus">The status the instance reports; null means passing. HTTP and TCP checks are not affected.</param>
    /// <param name="output">A note to keep as the output.</param>
    /// <param name="cancellationToken">Cancels waiting for durability of a status change.</param>
    /// <returns>The instance after the heartbeat, or null when the catalog does not know it (it must register again).</returns>
    public async Task<HeartbeatResult?> HeartbeatAsync(string instanceId, HealthStatus? reportedStatus = null, string? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        if (!_byId.TryGetValue(instanceId, out var state))
            return null;
        var now = Now;
        if (!TryRenewLeaseLockFree(state, now))
            return null;
        Volatile.Write(ref state.LastHeartbeat, now);

        var checks = state.Checks;
        var hasTtlCheck = checks.Any(c => c.Spec.Kind == HealthCheckKind.Ttl);
        if (checks.Length > 0 && !hasTtlCheck)
            return await RenewSharedAsync(state, null, cancellationToken).ConfigureAwait(false) ? new HeartbeatResult(state.Instance, LeaseExpiry(state)) : null;

        var status = reportedStatus ?? HealthStatus.Passing;
        while (true)
        {
            PendingChange? earlier = null;
            PendingChange? change = null;
            lock (_writeLock)
            {
                if (state.Removed)
                    return null;
                if (state.Pending is { } pending)
                    earlier = pending;
                else if (state.Checks.Length == 0)
                {
                    if (output is not null)
                        SetLatestOutput(state, output);
                    if (state.Instance.Status != status)
                        change = SetInstanceStatus(state, status, output ?? state.Instance.Output);
                }
                else
                {
                    var changed = false;
                    foreach (var check in state.Checks.Where(c => c.Spec.Kind == HealthCheckKind.Ttl))
                        changed |= ReportTtlCheck(check, status, output, now);
                    if (changed)
                        change = PublishChecks(state, output ?? state.Instance.Output);
                }
                DrainUnderLock();
            }
            if (await SettleAsync(earlier, change, cancellationToken).ConfigureAwait(false))
                continue; // an earlier change of the instance was pending: try again on what readers see
            break;
        }
        if (!await RenewSharedAsync(state, null, cancellationToken).ConfigureAwait(false))
            return null;
        return new HeartbeatResult(state.Instance, LeaseExpiry(state));
    }

    /// <summary>Records a status reported for one TTL check by its id (Consul's <c>check/pass|warn|fail</c>), renewing that check's TTL.</summary>
    /// <returns>The instance after the update; null when no check has that id.</returns>
    /// <exception cref="InvalidOperationException">The check exists but is not a TTL check.</exception>
    public async Task<ServiceInstance?> UpdateCheckAsync(string checkId, HealthStatus status, string? output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkId);
        if (!_byCheckId.TryGetValue(checkId, out var check))
            return null;
        if (check.Spec.Kind != HealthCheckKind.Ttl)
            throw new InvalidOperationException($"Check '{checkId}' is not a TTL check; its status comes from its own probes.");
        ServiceInstance instance;
        while (true)
        {
            PendingChange? earlier = null;
            PendingChange? change = null;
            lock (_writeLock)
            {
                var state = check.Owner;
                if (state.Removed || !state.Checks.Contains(check))
                    return null;
                if (state.Pending is { } pending)
                    earlier = pending;
                else if (ReportTtlCheck(check, status, output, Now))
                    change = PublishChecks(state, output ?? "");
                instance = state.Instance;
                DrainUnderLock();
            }
            if (await SettleAsync(earlier, change, cancellationToken).ConfigureAwait(false))
                continue;
            if (change is not null)
                instance = check.Owner.Instance;
            break;
        }
        if (!await RenewSharedAsync(check.Owner, check, cancellationToken).ConfigureAwait(false))
            return null;
        return instance;
    }

    /// <summary>Applies a report to a TTL check; returns whether its status changed (an output-only change bumps no index, so watchers are not woken by chatter). Call under the write lock.</summary>
    private bool ReportTtlCheck(CheckRuntime check, HealthStatus status, string? output, long now)
    {
        if (check.Spec.Ttl is { } ttl)
        {
            var previous = check.TtlDeadline;
            check.TtlDeadline = now + ttl.Ticks;
            if (previous == 0)
                _deadlines.Add(check, DeadlineKind.CheckTtl, check.TtlDeadline);
        }
        if (output is not null)
            SetLatestOutput(check, output);
        Volatile.Write(ref check.LastProbeAt, now);
        if (check.Status == status)
            return false;
        check.Status = status;
        check.Output = output ?? check.Output;
        if (status == HealthStatus.Critical)
            MarkCritical(check, now);
        else
            check.CriticalSince = 0;
        return true;
    }

    private static bool TryRenewLeaseLockFree(InstanceState state, long now)
    {
        while (true)
        {
            var current = Volatile.Read(ref state.LeaseDeadline);
            if (current < 0 || state.Removed)
                return false; // the sweep is expiring it
            if (current == 0)
                return true; // no lease
            var ttl = state.Instance.Ttl ?? TimeSpan.Zero;
            if (Interlocked.CompareExchange(ref state.LeaseDeadline, now + ttl.Ticks, current) == current)
                return true;
        }
    }

    private static DateTimeOffset? LeaseExpiry(InstanceState state)
    {
        var deadline = Volatile.Read(ref state.LeaseDeadline);
        return deadline > 0 ? new DateTimeOffset(deadline, TimeSpan.Zero) : null;
    }

    /// <summary>Sets the own status of an instance without checks. Call under the write lock.</summary>
    private PendingChange SetInstanceStatus(InstanceState state, HealthStatus status, string output)
    {
        var previous = state.Instance.Status;
        var change = Commit(CatalogEventTypes.StatusChanged, state.Instance with { Status = status, Output = output }, state);
        Log.StatusChanged(_logger, state.Instance.InstanceId, state.Instance.ServiceName, previous.ToWireName(), status.ToWireName(), output);
        return change;
    }

    /// <summary>Proposes the instance rebuilt from its checks' state (one index bump). Call under the write lock.</summary>
    private PendingChange PublishChecks(InstanceState state, string output)
    {
        var previous = state.Instance.Status;
        var rebuilt = state.Rebuilt(output);
        var type = rebuilt.Status != previous ? CatalogEventTypes.StatusChanged : CatalogEventTypes.Updated;
        var change = Commit(type, rebuilt, state);
        if (rebuilt.Status != previous)
            Log.StatusChanged(_logger, rebuilt.InstanceId, rebuilt.ServiceName, previous.ToWireName(), rebuilt.Status.ToWireName(), output);
        return change;
    }
}

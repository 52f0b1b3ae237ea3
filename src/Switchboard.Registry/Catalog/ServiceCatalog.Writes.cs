using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Leases;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    /// <summary>Registers <paramref name="registration"/> (already validated by <see cref="RegistrationValidator"/>), or replaces the instance with the same id.</summary>
    /// <remarks>
    /// Idempotent: re-registering an unchanged instance renews its lease and bumps no index; a re-registration
    /// keeps the state of every check whose spec did not change. The task completes when the change is durable.
    /// </remarks>
    /// <exception cref="CatalogFullException">The catalog holds <see cref="RegistryOptions.MaxInstances"/> instances.</exception>
    public async Task<RegisterResult> RegisterAsync(ServiceInstance registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        RegisterResult result;
        Task persisted = Task.CompletedTask;
        InstanceState? unchanged = null;
        lock (_writeLock)
        {
            var now = Now;
            if (_byId.TryGetValue(registration.InstanceId, out var existing))
            {
                RenewLease(existing, registration.Ttl, now);
                unchanged = RegistrationEquality.SameRegistration(existing.Instance, registration) ? existing : null;
                result = unchanged is not null
                    ? new RegisterResult(existing.Instance, false, _index)
                    : Replace(existing, registration, now, out persisted);
            }
            else
            {
                if (_instanceCount >= _options.MaxInstances)
                    throw new CatalogFullException(_options.MaxInstances);
                result = Add(registration, now, out persisted);
            }
        }
        await persisted.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (unchanged is not null && _shared is not null)
            return await RenewOrReassertAsync(unchanged, registration, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private RegisterResult Add(ServiceInstance registration, long now, out Task persisted)
    {
        var state = new InstanceState(registration with { RegisteredAt = new DateTimeOffset(now, TimeSpan.Zero) }) { LastHeartbeat = now };
        var (index, task) = Commit(CatalogEventTypes.Registered, state.Instance, state, registration: true);
        persisted = task;
        ArmDeadlines(state, now);
        var entry = EntryFor(registration.ServiceName);
        entry.Instances[registration.InstanceId] = state;
        _instanceCount++;
        IndexInstance(state);
        entry.Publish(index);
        Log.Registered(_logger, registration.InstanceId, registration.ServiceName, index);
        return new RegisterResult(state.Instance, true, index);
    }

    private RegisterResult Replace(InstanceState state, ServiceInstance registration, long now, out Task persisted)
    {
        var old = state.Instance;
        var previousChecks = state.Checks.ToDictionary(c => c.CheckId, StringComparer.Ordinal);
        UnindexChecks(state);
        foreach (var check in state.Checks)
            check.ProbeGeneration++; // stops probes scheduled for the old checks

        // Keep the live state of every check whose spec is unchanged.
        var merged = registration.Checks
            .Select(c => previousChecks.TryGetValue(c.CheckId, out var prev) && prev.Spec == c.Spec ? prev.ToInstanceCheck() : c)
            .ToArray();
        var updated = registration with
        {
            RegisteredAt = old.RegisteredAt,
            CreateIndex = old.CreateIndex,
            Checks = merged,
            Status = merged.Length > 0 ? ServiceInstance.Worst(merged) : old.Status,
            Output = old.Output,
        };
        var checks = updated.Checks.Select((c, i) => new CheckRuntime(state, i, c)).ToArray();
        foreach (var check in checks)
        {
            if (previousChecks.TryGetValue(check.CheckId, out var prev) && prev.Spec == check.Spec)
                CarryOver(prev, check);
        }
        state.Checks = checks;

        var (index, task) = Commit(CatalogEventTypes.Updated, updated, state, registration: true);
        persisted = task;
        ArmDeadlines(state, now);
        if (old.ServiceName != registration.ServiceName && _services.TryGetValue(old.ServiceName, out var oldEntry))
        {
            oldEntry.Instances.Remove(old.InstanceId);
            oldEntry.Publish(index);
        }
        var entry = EntryFor(registration.ServiceName);
        entry.Instances[registration.InstanceId] = state;
        IndexInstance(state);
        entry.Publish(index);
        Log.Updated(_logger, registration.InstanceId, registration.ServiceName, index);
        return new RegisterResult(state.Instance, false, index);
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
    public async Task<bool> DeregisterAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        var persisted = new List<Task>(1);
        lock (_writeLock)
        {
            if (!_byId.TryGetValue(instanceId, out var state))
                return false;
            var touched = new HashSet<ServiceEntry>();
            RemoveUnderLock(state, CatalogEventTypes.Deregistered, persisted, touched);
            foreach (var entry in touched)
                entry.Publish(_index);
        }
        await Task.WhenAll(persisted).WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
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
        Task persisted = Task.CompletedTask;
        lock (_writeLock)
        {
            if (state.Removed)
                return null;
            if (state.Checks.Length == 0)
            {
                if (output is not null)
                    state.LatestOutput = output;
                if (state.Instance.Status != status)
                    persisted = SetInstanceStatus(state, status, output ?? state.Instance.Output);
            }
            else
            {
                var changed = false;
                foreach (var check in state.Checks.Where(c => c.Spec.Kind == HealthCheckKind.Ttl))
                    changed |= ReportTtlCheck(check, status, output, now);
                if (changed)
                    persisted = PublishChecks(state, output ?? state.Instance.Output);
            }
        }
        await persisted.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        Task persisted = Task.CompletedTask;
        ServiceInstance instance;
        lock (_writeLock)
        {
            var state = check.Owner;
            if (state.Removed)
                return null;
            var now = Now;
            if (ReportTtlCheck(check, status, output, now))
                persisted = PublishChecks(state, output ?? "");
            instance = state.Instance;
        }
        await persisted.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            check.LatestOutput = output;
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
    private Task SetInstanceStatus(InstanceState state, HealthStatus status, string output)
    {
        var previous = state.Instance.Status;
        var (index, persisted) = Commit(CatalogEventTypes.StatusChanged, state.Instance with { Status = status, Output = output }, state);
        if (_services.TryGetValue(state.Instance.ServiceName, out var entry))
            entry.Publish(index);
        Log.StatusChanged(_logger, state.Instance.InstanceId, state.Instance.ServiceName, previous.ToWireName(), status.ToWireName(), output);
        return persisted;
    }

    /// <summary>Publishes the instance rebuilt from its checks' state (one index bump). Call under the write lock.</summary>
    private Task PublishChecks(InstanceState state, string output)
    {
        var previous = state.Instance.Status;
        var rebuilt = state.Rebuilt(output);
        var type = rebuilt.Status != previous ? CatalogEventTypes.StatusChanged : CatalogEventTypes.Updated;
        var (index, persisted) = Commit(type, rebuilt, state);
        if (_services.TryGetValue(state.Instance.ServiceName, out var entry))
            entry.Publish(index);
        if (rebuilt.Status != previous)
            Log.StatusChanged(_logger, rebuilt.InstanceId, rebuilt.ServiceName, previous.ToWireName(), rebuilt.Status.ToWireName(), output);
        return persisted;
    }
}

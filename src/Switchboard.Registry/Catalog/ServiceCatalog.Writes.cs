using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Leases;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    /// <summary>Registers <paramref name="registration"/> (already validated by <see cref="RegistrationValidator"/>), or replaces the instance with the same id.</summary>
    /// <remarks>
    /// Idempotent: re-registering an unchanged instance renews its lease and bumps no index. The task completes
    /// when the change is durable in the store.
    /// </remarks>
    /// <exception cref="CatalogFullException">The catalog holds <see cref="RegistryOptions.MaxInstances"/> instances.</exception>
    public async Task<RegisterResult> RegisterAsync(ServiceInstance registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        RegisterResult result;
        Task persisted = Task.CompletedTask;
        lock (_writeLock)
        {
            var now = Now;
            if (_byId.TryGetValue(registration.InstanceId, out var existing))
            {
                RenewLease(existing, registration.Ttl, now);
                if (RegistrationEquality.SameRegistration(existing.Instance, registration))
                {
                    result = new RegisterResult(existing.Instance, false, _index);
                }
                else
                {
                    result = Replace(existing, registration, now, out persisted);
                }
            }
            else
            {
                if (_instanceCount >= _options.MaxInstances)
                    throw new CatalogFullException(_options.MaxInstances);
                result = Add(registration, now, out persisted);
            }
        }
        await persisted.WaitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private RegisterResult Add(ServiceInstance registration, long now, out Task persisted)
    {
        var state = new InstanceState(registration with { RegisteredAt = new DateTimeOffset(now, TimeSpan.Zero), Status = HealthStatus.Passing });
        state.LastHeartbeat = now;
        var (index, task) = Commit(CatalogEventTypes.Registered, state.Instance, state);
        persisted = task;
        ArmDeadlines(state, now);
        var entry = EntryFor(registration.ServiceName);
        entry.Instances[registration.InstanceId] = state;
        _byId[registration.InstanceId] = state;
        _instanceCount++;
        entry.Publish(index);
        ActiveCheckScheduled?.Invoke(state);
        Log.Registered(_logger, registration.InstanceId, registration.ServiceName, index);
        return new RegisterResult(state.Instance, true, index);
    }

    private RegisterResult Replace(InstanceState state, ServiceInstance registration, long now, out Task persisted)
    {
        var old = state.Instance;
        var sameCheck = old.Check == registration.Check;
        var updated = registration with
        {
            RegisteredAt = old.RegisteredAt,
            CreateIndex = old.CreateIndex,
            Status = sameCheck ? old.Status : HealthStatus.Passing,
            Output = sameCheck ? old.Output : "",
        };
        if (!sameCheck)
        {
            state.ConsecutiveFailures = state.ConsecutiveSuccesses = 0;
            state.CriticalSince = 0;
            state.CheckTtlDeadline = 0;
        }
        var (index, task) = Commit(CatalogEventTypes.Updated, updated, state);
        persisted = task;
        ArmDeadlines(state, now);
        if (old.ServiceName != registration.ServiceName && _services.TryGetValue(old.ServiceName, out var oldEntry))
        {
            oldEntry.Instances.Remove(old.InstanceId);
            oldEntry.Publish(index);
        }
        var entry = EntryFor(registration.ServiceName);
        entry.Instances[registration.InstanceId] = state;
        entry.Publish(index);
        if (!sameCheck || old.Host != registration.Host || old.Port != registration.Port)
            ActiveCheckScheduled?.Invoke(state);
        Log.Updated(_logger, registration.InstanceId, registration.ServiceName, index);
        return new RegisterResult(state.Instance, false, index);
    }

    private void ArmDeadlines(InstanceState state, long now)
    {
        RenewLease(state, state.Instance.Ttl, now);
        if (state.Instance.Check is { Kind: HealthCheckKind.Ttl, Ttl: { } checkTtl } && state.CheckTtlDeadline == 0)
        {
            state.CheckTtlDeadline = now + checkTtl.Ticks;
            _deadlines.Add(state, DeadlineKind.CheckTtl, state.CheckTtlDeadline);
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

    /// <summary>Renews an instance's lease and, for instances without an HTTP or TCP check, records the status it reports.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="reportedStatus">The status the instance reports; null means passing. Ignored for instances whose health an HTTP or TCP check decides.</param>
    /// <param name="output">A note to keep as the check output.</param>
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

        var kind = state.Instance.Check.Kind;
        if (kind is HealthCheckKind.Http or HealthCheckKind.Tcp)
            return new HeartbeatResult(state.Instance, LeaseExpiry(state));

        var status = reportedStatus ?? HealthStatus.Passing;
        if (output is not null)
            state.LatestOutput = output;
        Task persisted = Task.CompletedTask;
        lock (_writeLock)
        {
            if (state.Removed)
                return null;
            if (state.Instance.Check is { Kind: HealthCheckKind.Ttl, Ttl: { } checkTtl })
            {
                var previous = state.CheckTtlDeadline;
                state.CheckTtlDeadline = now + checkTtl.Ticks;
                if (previous == 0)
                    _deadlines.Add(state, DeadlineKind.CheckTtl, state.CheckTtlDeadline);
            }
            if (state.Instance.Status != status)
                persisted = SetStatus(state, status, output ?? state.Instance.Output, now);
        }
        await persisted.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new HeartbeatResult(state.Instance, LeaseExpiry(state));
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

    /// <summary>Changes an instance's status. Call under the write lock.</summary>
    private Task SetStatus(InstanceState state, HealthStatus status, string output, long now)
    {
        var previous = state.Instance.Status;
        var (index, persisted) = Commit(CatalogEventTypes.StatusChanged, state.Instance with { Status = status, Output = output }, state);
        if (status == HealthStatus.Critical)
            MarkCritical(state, now);
        else
            state.CriticalSince = 0;
        if (_services.TryGetValue(state.Instance.ServiceName, out var entry))
            entry.Publish(index);
        Log.StatusChanged(_logger, state.Instance.InstanceId, state.Instance.ServiceName, previous.ToWireName(), status.ToWireName(), output);
        return persisted;
    }
}

using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Leases;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    /// <summary>How many deadlines (leases, TTL checks, reap timers) are queued.</summary>
    internal int QueuedDeadlines => _deadlines.Count;

    /// <summary>
    /// Applies every deadline that has passed: expired leases and long-critical instances leave the catalog,
    /// TTL checks without a report turn critical. Costs O(deadlines due), not O(instances).
    /// </summary>
    /// <returns>How many instances were removed or changed.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = Now;
        var due = _deadlines.PopDue(now);
        if (due.Count == 0)
            return 0;
        var persisted = new List<Task>();
        var touched = new HashSet<ServiceEntry>();
        var changed = 0;
        lock (_writeLock)
        {
            foreach (var (state, kind, _) in due)
            {
                if (state.Removed)
                    continue;
                changed += kind switch
                {
                    DeadlineKind.Lease => ExpireLease(state, now, persisted, touched),
                    DeadlineKind.CheckTtl => ExpireCheckTtl(state, now, persisted),
                    _ => Reap(state, now, persisted, touched),
                };
            }
            foreach (var entry in touched)
                entry.Publish(_index);
        }
        await Task.WhenAll(persisted).WaitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private int ExpireLease(InstanceState state, long now, List<Task> persisted, HashSet<ServiceEntry> touched)
    {
        while (true)
        {
            var deadline = Volatile.Read(ref state.LeaseDeadline);
            if (deadline <= 0)
                return 0; // lease dropped by a re-registration
            if (deadline > now)
            {
                _deadlines.Add(state, DeadlineKind.Lease, deadline); // renewed since it was queued
                return 0;
            }
            if (Interlocked.CompareExchange(ref state.LeaseDeadline, -1, deadline) == deadline)
                break;
        }
        RemoveUnderLock(state, CatalogEventTypes.Expired, persisted, touched);
        return 1;
    }

    private int ExpireCheckTtl(InstanceState state, long now, List<Task> persisted)
    {
        var deadline = state.CheckTtlDeadline;
        if (deadline == 0 || state.Instance.Check.Kind != HealthCheckKind.Ttl)
            return 0;
        if (deadline > now)
        {
            _deadlines.Add(state, DeadlineKind.CheckTtl, deadline);
            return 0;
        }
        state.CheckTtlDeadline = 0; // re-armed by the next heartbeat
        if (state.Instance.Status == HealthStatus.Critical)
            return 0;
        var output = $"TTL expired: no heartbeat within {Json.Durations.Format(state.Instance.Check.Ttl ?? TimeSpan.Zero)}";
        state.LatestOutput = output;
        persisted.Add(SetStatus(state, HealthStatus.Critical, output, now));
        return 1;
    }

    private int Reap(InstanceState state, long now, List<Task> persisted, HashSet<ServiceEntry> touched)
    {
        if (state.CriticalSince == 0 || state.Instance.Status != HealthStatus.Critical || state.Instance.Check.DeregisterCriticalAfter is not { } after)
            return 0;
        var deadline = state.CriticalSince + after.Ticks;
        if (deadline > now)
        {
            _deadlines.Add(state, DeadlineKind.Reap, deadline);
            return 0;
        }
        RemoveUnderLock(state, CatalogEventTypes.Reaped, persisted, touched);
        return 1;
    }

    /// <summary>Applies one probe result of an HTTP or TCP check, honouring the spec's thresholds.</summary>
    internal Task ApplyProbeResult(InstanceState state, HealthStatus result, string output)
    {
        state.LatestOutput = output;
        lock (_writeLock)
        {
            if (state.Removed)
                return Task.CompletedTask;
            var check = state.Instance.Check;
            var current = state.Instance.Status;
            HealthStatus? next = null;
            if (result == HealthStatus.Critical)
            {
                state.ConsecutiveSuccesses = 0;
                state.ConsecutiveFailures++;
                if (current != HealthStatus.Critical && state.ConsecutiveFailures >= check.EffectiveFailuresBeforeCritical)
                    next = HealthStatus.Critical;
            }
            else
            {
                state.ConsecutiveFailures = 0;
                state.ConsecutiveSuccesses++;
                if (current == HealthStatus.Critical ? state.ConsecutiveSuccesses >= check.EffectiveSuccessesBeforePassing : current != result)
                    next = result;
            }
            return next is { } status ? SetStatus(state, status, output, Now) : Task.CompletedTask;
        }
    }
}

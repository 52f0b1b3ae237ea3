using Switchboard.Api;
using Switchboard.Instances;
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
        if (!RunsDeadlines)
            return 0; // another node of the cluster runs them, or the shared state cannot be seen
        var now = Now;
        var due = _deadlines.PopDue(now);
        if (due.Count == 0)
            return 0;
        if (_shared is not null)
            await ExtendFromSharedAsync(due, cancellationToken).ConfigureAwait(false);
        var persisted = new List<Task>();
        var touched = new HashSet<ServiceEntry>();
        var changed = 0;
        lock (_writeLock)
        {
            foreach (var (state, check, kind) in due)
            {
                if (state.Removed || check is not null && !state.Checks.Contains(check))
                    continue; // removed, or the check was replaced by a re-registration
                changed += kind switch
                {
                    DeadlineKind.Lease => ExpireLease(state, now, persisted, touched),
                    DeadlineKind.CheckTtl => ExpireCheckTtl(check!, now, persisted),
                    _ => Reap(check!, now, persisted, touched),
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

    private int ExpireCheckTtl(CheckRuntime check, long now, List<Task> persisted)
    {
        var deadline = check.TtlDeadline;
        if (deadline == 0)
            return 0;
        if (deadline > now)
        {
            _deadlines.Add(check, DeadlineKind.CheckTtl, deadline);
            return 0;
        }
        check.TtlDeadline = 0; // re-armed by the next report
        if (check.Status == HealthStatus.Critical)
            return 0;
        var output = $"TTL expired: no heartbeat within {Json.Durations.Format(check.Spec.Ttl ?? TimeSpan.Zero)}";
        check.LatestOutput = output;
        check.Status = HealthStatus.Critical;
        check.Output = output;
        MarkCritical(check, now);
        persisted.Add(PublishChecks(check.Owner, output));
        return 1;
    }

    private int Reap(CheckRuntime check, long now, List<Task> persisted, HashSet<ServiceEntry> touched)
    {
        if (check.CriticalSince == 0 || check.Status != HealthStatus.Critical || check.Spec.DeregisterCriticalAfter is not { } after)
            return 0;
        var deadline = check.CriticalSince + after.Ticks;
        if (deadline > now)
        {
            _deadlines.Add(check, DeadlineKind.Reap, deadline);
            return 0;
        }
        RemoveUnderLock(check.Owner, CatalogEventTypes.Reaped, persisted, touched);
        return 1;
    }

    /// <summary>Applies one probe result of an HTTP or TCP check, honouring the spec's thresholds.</summary>
    internal Task ApplyProbeResult(CheckRuntime check, HealthStatus result, string output)
    {
        check.LatestOutput = output;
        lock (_writeLock)
        {
            if (check.Owner.Removed || !check.Owner.Checks.Contains(check))
                return Task.CompletedTask;
            var current = check.Status;
            HealthStatus? next = null;
            if (result == HealthStatus.Critical)
            {
                check.ConsecutiveSuccesses = 0;
                check.ConsecutiveFailures++;
                if (current != HealthStatus.Critical && check.ConsecutiveFailures >= check.Spec.EffectiveFailuresBeforeCritical)
                    next = HealthStatus.Critical;
            }
            else
            {
                check.ConsecutiveFailures = 0;
                check.ConsecutiveSuccesses++;
                if (current == HealthStatus.Critical ? check.ConsecutiveSuccesses >= check.Spec.EffectiveSuccessesBeforePassing : current != result)
                    next = result;
            }
            if (next is not { } status)
                return Task.CompletedTask;
            check.Status = status;
            check.Output = output;
            if (status == HealthStatus.Critical)
                MarkCritical(check, Now);
            else
                check.CriticalSince = 0;
            return PublishChecks(check.Owner, output);
        }
    }
}

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
        var changes = new List<Task>();
        var changed = 0;
        lock (_writeLock)
        {
            foreach (var (state, check, kind) in due)
            {
                if (state.Removed || check is not null && !state.Checks.Contains(check))
                    continue; // removed, or the check was replaced by a re-registration
                if (state.Pending is not null)
                {
                    RequeueBehindPending(state, check, kind);
                    continue;
                }
                var change = kind switch
                {
                    DeadlineKind.Lease => ExpireLease(state, now),
                    DeadlineKind.CheckTtl => ExpireCheckTtl(check!, now),
                    _ => Reap(check!, now),
                };
                if (change is not null)
                {
                    changes.Add(change.Visible.Task);
                    changed++;
                }
            }
            DrainUnderLock();
        }
        try
        {
            await Task.WhenAll(changes).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Storage.RegistryStoreUnavailableException)
        {
            // refused changes were rolled back and their deadlines re-armed; the sweep tries them again
        }
        return changed;
    }

    /// <summary>A deadline of an instance with a change in flight waits for the next sweep (one change per instance at a time).</summary>
    private void RequeueBehindPending(InstanceState state, CheckRuntime? check, DeadlineKind kind)
    {
        var retry = Now + 1;
        if (check is null)
            _deadlines.Add(state, kind, retry);
        else
            _deadlines.Add(check, kind, retry);
    }

    private PendingChange? ExpireLease(InstanceState state, long now)
    {
        while (true)
        {
            var deadline = Volatile.Read(ref state.LeaseDeadline);
            if (deadline <= 0)
                return null; // lease dropped by a re-registration
            if (deadline > now)
            {
                _deadlines.Add(state, DeadlineKind.Lease, deadline); // renewed since it was queued
                return null;
            }
            if (Interlocked.CompareExchange(ref state.LeaseDeadline, -1, deadline) == deadline)
                break;
        }
        return ProposeRemoval(state, CatalogEventTypes.Expired, (DeadlineKind.Lease, null));
    }

    private PendingChange? ExpireCheckTtl(CheckRuntime check, long now)
    {
        var deadline = check.TtlDeadline;
        if (deadline == 0)
            return null;
        if (deadline > now)
        {
            _deadlines.Add(check, DeadlineKind.CheckTtl, deadline);
            return null;
        }
        check.TtlDeadline = 0; // re-armed by the next report
        if (check.Status == HealthStatus.Critical)
            return null;
        var output = $"TTL expired: no heartbeat within {Json.Durations.Format(check.Spec.Ttl ?? TimeSpan.Zero)}";
        SetLatestOutput(check, output);
        check.Status = HealthStatus.Critical;
        check.Output = output;
        MarkCritical(check, now);
        return PublishChecks(check.Owner, output);
    }

    private PendingChange? Reap(CheckRuntime check, long now)
    {
        if (check.CriticalSince == 0 || check.Status != HealthStatus.Critical || check.Spec.DeregisterCriticalAfter is not { } after)
            return null;
        var deadline = check.CriticalSince + after.Ticks;
        if (deadline > now)
        {
            _deadlines.Add(check, DeadlineKind.Reap, deadline);
            return null;
        }
        return ProposeRemoval(check.Owner, CatalogEventTypes.Reaped, (DeadlineKind.Reap, check));
    }

    /// <summary>Applies one probe result of an HTTP or TCP check, honouring the spec's thresholds.</summary>
    /// <remarks>Completes when a status change it caused is visible; fails with <see cref="Storage.RegistryStoreUnavailableException"/> when the store refused it (the check keeps the status readers see, and the next probe tries again).</remarks>
    internal async Task ApplyProbeResult(CheckRuntime check, HealthStatus result, string output)
    {
        SetLatestOutput(check, output);
        Volatile.Write(ref check.LastProbeAt, Now);
        while (true)
        {
            PendingChange? earlier = null;
            PendingChange? change = null;
            lock (_writeLock)
            {
                if (check.Owner.Removed || !check.Owner.Checks.Contains(check))
                    return;
                if (check.Owner.Pending is { } pending)
                    earlier = pending;
                else
                {
                    change = ApplyProbeUnderLock(check, result, output);
                    DrainUnderLock();
                }
            }
            if (earlier is null)
            {
                if (change is not null)
                    await change.Visible.Task.ConfigureAwait(false);
                return;
            }
            await AwaitSettledAsync(earlier, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private PendingChange? ApplyProbeUnderLock(CheckRuntime check, HealthStatus result, string output)
    {
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
            return null;
        check.Status = status;
        check.Output = output;
        if (status == HealthStatus.Critical)
            MarkCritical(check, Now);
        else
            check.CriticalSince = 0;
        return PublishChecks(check.Owner, output);
    }
}

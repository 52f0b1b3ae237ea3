using Switchboard.Api;
using Switchboard.Instances;

namespace Switchboard.Registry.Catalog;

/// <summary>The engine's mutable bookkeeping for one instance. Fields change under the catalog's write lock unless noted.</summary>
internal sealed class InstanceState
{
    public InstanceState(ServiceInstance instance)
    {
        Instance = instance;
        Checks = instance.Checks.Count == 0 ? [] : [.. instance.Checks.Select((c, i) => new CheckRuntime(this, i, c))];
        VisibleChecks = Checks;
    }

    /// <summary>The instance as the write side holds it: the last change proposed, durable or not. Replaced (never mutated) on every change.</summary>
    public ServiceInstance Instance;

    /// <summary>The instance as readers see it: the last change the store made durable; null until the registration is durable.</summary>
    /// <remarks>Written under the catalog's write lock; read without it.</remarks>
    public volatile ServiceInstance? Committed;

    /// <summary>The change the store has not acknowledged yet; null when none. A write to this instance waits for it (one change in flight per instance), so rolling it back restores <see cref="Committed"/> exactly.</summary>
    public PendingChange? Pending;

    /// <summary>The runtime of each of the instance's checks, in order, as the write side holds them: a re-registration replaces them before the store has it.</summary>
    public CheckRuntime[] Checks;

    /// <summary>
    /// The check runtimes readers see, whose outputs and probes answers show: those of <see cref="Committed"/>. Follows
    /// <see cref="Checks"/> when a change becomes visible, so a re-registration's new checks (and the outputs they start
    /// with) are not shown while the store may still refuse it.
    /// </summary>
    /// <remarks>Written under the catalog's write lock; read without it.</remarks>
    public volatile CheckRuntime[] VisibleChecks;

    /// <summary>When the lease runs out (UTC ticks); 0 when there is no lease, -1 while it is being expired. Written by heartbeats without the lock.</summary>
    public long LeaseDeadline;

    /// <summary>The last heartbeat (UTC ticks); written without the lock.</summary>
    public long LastHeartbeat;

    /// <summary>The output of the latest report of an instance without checks.</summary>
    public volatile string? LatestOutput;

    /// <summary>The recent status changes readers saw, oldest first (<see cref="ServiceCatalog.MaxTransitions"/> at most); replaced, never mutated.</summary>
    public volatile StatusTransition[] Transitions = [];

    /// <summary>Set once the instance left the catalog, so stale deadlines and probes are ignored.</summary>
    public volatile bool Removed;

    /// <summary>The newest output of any check or report.</summary>
    public string LatestAnyOutput
    {
        get
        {
            foreach (var check in VisibleChecks)
            {
                if (check.LatestOutput is { Length: > 0 } output)
                    return output;
            }
            return LatestOutput ?? Committed?.Output ?? Instance.Output;
        }
    }

    /// <summary>The instance rebuilt from its checks' current state (status = worst check).</summary>
    public ServiceInstance Rebuilt(string output)
    {
        if (Checks.Length == 0)
            return Instance with { Output = output };
        var checks = new InstanceCheck[Checks.Length];
        for (var i = 0; i < Checks.Length; i++)
            checks[i] = Checks[i].ToInstanceCheck();
        return Instance with { Checks = checks, Status = ServiceInstance.Worst(checks), Output = output };
    }
}

using Switchboard.Instances;

namespace Switchboard.Registry.Catalog;

/// <summary>The engine's mutable bookkeeping for one instance. Fields change under the catalog's write lock unless noted.</summary>
internal sealed class InstanceState(ServiceInstance instance)
{
    /// <summary>The instance as served; replaced (never mutated) on every change.</summary>
    public ServiceInstance Instance = instance;

    /// <summary>When the lease runs out (UTC ticks); 0 when there is no lease. Written by heartbeats without the lock.</summary>
    public long LeaseDeadline;

    /// <summary>When a TTL check turns critical without a new report (UTC ticks); 0 when not armed.</summary>
    public long CheckTtlDeadline;

    /// <summary>When the instance turned critical (UTC ticks); 0 when it is not critical.</summary>
    public long CriticalSince;

    /// <summary>The last heartbeat (UTC ticks); written without the lock.</summary>
    public long LastHeartbeat;

    /// <summary>The output of the latest probe or report, which may be newer than <see cref="ServiceInstance.Output"/>.</summary>
    public volatile string? LatestOutput;

    /// <summary>Consecutive failed probes.</summary>
    public int ConsecutiveFailures;

    /// <summary>Consecutive successful probes.</summary>
    public int ConsecutiveSuccesses;

    /// <summary>Bumped each time the instance is (re)scheduled for probing, so stale schedule entries are ignored.</summary>
    public int ProbeGeneration;

    /// <summary>Set once the instance left the catalog, so stale deadlines and probes are ignored.</summary>
    public volatile bool Removed;
}

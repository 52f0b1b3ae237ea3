using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Registry.Catalog;

/// <summary>The engine's bookkeeping for one health check of one instance. Changed under the catalog's write lock.</summary>
internal sealed class CheckRuntime(InstanceState owner, int position, InstanceCheck check)
{
    public InstanceState Owner { get; } = owner;

    /// <summary>The check's position in the instance's check list.</summary>
    public int Position { get; } = position;

    public string CheckId { get; } = check.CheckId;

    public HealthCheckSpec Spec { get; } = check.Spec;

    public HealthStatus Status = check.Status;

    /// <summary>The output that set <see cref="Status"/>.</summary>
    public string Output = check.Output;

    /// <summary>The latest output, which may be newer than <see cref="Output"/>.</summary>
    public volatile string? LatestOutput;

    /// <summary>When the check was last probed or reported on (UTC ticks); 0 before the first. Written without the lock.</summary>
    public long LastProbeAt;

    public int ConsecutiveFailures;

    public int ConsecutiveSuccesses;

    /// <summary>When a TTL check turns critical without a new report (UTC ticks); 0 when not armed.</summary>
    public long TtlDeadline;

    /// <summary>When the check turned critical (UTC ticks); 0 when it is not critical.</summary>
    public long CriticalSince;

    /// <summary>Bumped each time the check is (re)scheduled for probing, so stale schedule entries are ignored.</summary>
    public int ProbeGeneration;

    /// <summary>Whether the last probe answered within its timeout (whatever the status); checks not known to answer yield probe slots to those that do.</summary>
    public volatile bool AnsweredLastProbe;

    public bool IsActive => Spec.Kind is HealthCheckKind.Http or HealthCheckKind.Tcp;

    public InstanceCheck ToInstanceCheck() => new(CheckId, Spec, Status, Output);
}

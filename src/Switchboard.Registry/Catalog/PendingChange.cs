using Switchboard.Instances;
using Switchboard.Registry.Leases;

namespace Switchboard.Registry.Catalog;

/// <summary>
/// A change the catalog handed to the store and has not made visible yet. Readers, blocking queries and the event stream
/// see it only once the store acknowledged it; a change the store refused is rolled back instead (commit before visible).
/// </summary>
internal sealed class PendingChange(long index, string type, InstanceState state, ServiceInstance? instance, Task persisted)
{
    /// <summary>The catalog index of the change.</summary>
    public long Index { get; } = index;

    /// <summary>The event type (see <c>CatalogEventTypes</c>).</summary>
    public string Type { get; } = type;

    /// <summary>The instance the change is about.</summary>
    public InstanceState State { get; } = state;

    /// <summary>The instance after the change; null for a removal.</summary>
    public ServiceInstance? Instance { get; } = instance;

    /// <summary>The store's acknowledgement.</summary>
    public Task Persisted { get; } = persisted;

    /// <summary>Completes when the change is visible, or fails (after the rollback) when the store refused it.</summary>
    public TaskCompletionSource Visible { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The check runtimes the change replaced (a re-registration with other checks), to put back on a rollback.</summary>
    public CheckRuntime[]? PreviousChecks { get; init; }

    /// <summary>The check runtimes the change installed, so a rollback restores <see cref="PreviousChecks"/> only when nothing replaced them since.</summary>
    public CheckRuntime[]? InstalledChecks { get; init; }

    /// <summary>For a removal by a deadline (lease expiry, reaping): what to re-arm when the removal is rolled back.</summary>
    public (DeadlineKind Kind, CheckRuntime? Check)? Deadline { get; init; }

    /// <summary>The index a shared store gave the change (<see cref="Storage.ICatalogReplica.Confirm"/>); 0 until then, and for a local store.</summary>
    public long SharedIndex { get; set; }

    /// <summary>The create index the shared store reported with <see cref="SharedIndex"/>.</summary>
    public long SharedCreateIndex { get; set; }

    /// <summary>The index the change is visible at: the shared store's when it gave one, else the catalog's.</summary>
    public long VisibleIndex => SharedIndex > 0 ? SharedIndex : Index;

    /// <summary>The instance after the change as readers and the event stream see it (labelled with <see cref="VisibleIndex"/>); null for a removal.</summary>
    public ServiceInstance? VisibleInstance => Instance is null || SharedIndex == 0 ? Instance
        : Instance with { ModifyIndex = SharedIndex, CreateIndex = SharedCreateIndex > 0 ? SharedCreateIndex : Instance.CreateIndex };

    /// <summary>Whether a continuation on <see cref="Persisted"/> will drain the queue.</summary>
    public bool Watched { get; set; }

    /// <summary>Whether the change removes the instance.</summary>
    public bool IsRemoval => Instance is null;
}

using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    /// <summary>The id prefix of the maintenance check, as Consul names it (<c>_service_maintenance:&lt;instance id&gt;</c>).</summary>
    public const string MaintenanceCheckPrefix = Switchboard.Registration.RegistrationLimits.ReservedCheckIdPrefix;

    /// <summary>The output of a maintenance check enabled without a reason (Consul's words).</summary>
    public const string DefaultMaintenanceReason = "Maintenance mode is enabled for this service, but no reason was provided. This is a default message.";

    /// <summary>The instance's output once its maintenance ended (until its checks report again).</summary>
    private const string MaintenanceEndedOutput = "maintenance ended";

    /// <summary>The most characters a maintenance reason keeps.</summary>
    public const int MaxMaintenanceReasonLength = 1024;

    private static readonly HealthCheckSpec MaintenanceSpec = new() { Name = "Service Maintenance Mode", Kind = HealthCheckKind.None };

    /// <summary>The maintenance check id of <paramref name="instanceId"/>.</summary>
    public static string MaintenanceCheckId(string instanceId) => MaintenanceCheckPrefix + instanceId;

    /// <summary>
    /// Puts an instance in maintenance (a critical check that is never probed, its output the reason: the instance is
    /// drained from discovery) or takes it out. The check survives re-registrations and is stored with the instance.
    /// </summary>
    /// <returns>The instance after the change (unchanged when it already was in that state), or null when the catalog does not know it.</returns>
    /// <remarks>Completes when the change is durable and visible; fails with <see cref="Storage.RegistryStoreUnavailableException"/> when the store refused it.</remarks>
    public async Task<ServiceInstance?> SetMaintenanceAsync(string instanceId, bool enable, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        while (true)
        {
            PendingChange? earlier = null;
            PendingChange? change = null;
            InstanceState? state;
            lock (_writeLock)
            {
                if (!_byId.TryGetValue(instanceId, out state) || state.Removed)
                    return null;
                if (state.Pending is { } pending)
                    earlier = pending;
                else
                {
                    change = ProposeMaintenance(state, enable, reason);
                    DrainUnderLock();
                }
            }
            if (await SettleAsync(earlier, change, cancellationToken).ConfigureAwait(false))
                continue; // an earlier change of the instance was pending: try again on what readers see
            return state.Instance;
        }
    }

    /// <summary>Proposes the instance with its maintenance check added, replaced or removed; null when nothing changes. Call under the write lock.</summary>
    private PendingChange? ProposeMaintenance(InstanceState state, bool enable, string? reason)
    {
        var id = MaintenanceCheckId(state.Instance.InstanceId);
        var previous = state.Checks;
        var existing = Array.Find(previous, c => c.CheckId == id);
        // Both routes refuse a reason over MaxMaintenanceReasonLength before calling here.
        var output = !enable ? MaintenanceEndedOutput : string.IsNullOrWhiteSpace(reason) ? DefaultMaintenanceReason : reason.Trim();
        if (enable ? existing?.Output == output : existing is null)
            return null;
        // The maintenance check is always last, so the other checks keep their positions.
        var others = existing is null ? previous : previous[..^1];
        CheckRuntime[] checks = enable ? [.. others, new CheckRuntime(state, others.Length, new InstanceCheck(id, MaintenanceSpec, HealthStatus.Critical, output))] : others;
        if (existing is not null)
            _byCheckId.TryRemove(id, out _);
        if (enable)
            _byCheckId[id] = checks[^1];
        state.Checks = checks;
        var before = state.Instance.Status;
        var rebuilt = checks.Length > 0
            ? state.Rebuilt(output)
            : state.Instance with { Checks = [], Status = HealthStatus.Passing, Output = output }; // its next heartbeat reports its own status
        var type = rebuilt.Status != before ? CatalogEventTypes.StatusChanged : CatalogEventTypes.Updated;
        Log.Maintenance(_logger, state.Instance.InstanceId, state.Instance.ServiceName, enable, output);
        return Commit(type, rebuilt, state, previousChecks: previous);
    }

    /// <summary>The registration's checks, plus the maintenance check the instance had (a re-registration does not end maintenance).</summary>
    private static InstanceCheck[] KeepMaintenance(InstanceCheck[] merged, Dictionary<string, CheckRuntime> previousChecks, string instanceId)
        => previousChecks.TryGetValue(MaintenanceCheckId(instanceId), out var maintenance) && !merged.Any(c => c.CheckId == maintenance.CheckId)
            ? [.. merged, maintenance.ToInstanceCheck()]
            : merged;
}

using Switchboard.Instances;

namespace Switchboard.Api;

/// <summary>The answer to <c>GET /service-discovery/instances/{instance_id}</c>: the instance and what the registry knows beyond its registration.</summary>
/// <param name="Instance">The instance.</param>
/// <param name="LastHeartbeat">Its last heartbeat or registration.</param>
/// <param name="LeaseExpiresAt">When its lease runs out without another heartbeat; empty when it has no lease.</param>
/// <param name="LatestOutput">The output of its latest check or status report.</param>
public sealed record InstanceDetails(ServiceInstance Instance, DateTimeOffset? LastHeartbeat, DateTimeOffset? LeaseExpiresAt, string LatestOutput)
{
    /// <summary>Each check's latest probe or report (time and output).</summary>
    public IReadOnlyList<CheckProbe> Checks { get; init; } = [];

    /// <summary>The instance's recent status changes, oldest first (at most <c>20</c>; kept in memory by the agent, not stored).</summary>
    public IReadOnlyList<StatusTransition> Transitions { get; init; } = [];
}

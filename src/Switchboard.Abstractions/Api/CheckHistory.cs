using Switchboard.Instances;

namespace Switchboard.Api;

/// <summary>One change of a check's (or a check-less instance's) status, as <c>GET /service-discovery/instances/{id}</c> lists it.</summary>
/// <param name="CheckId">The check whose status changed; empty for an instance without checks (its heartbeats' status).</param>
/// <param name="From">The status before.</param>
/// <param name="To">The status after.</param>
/// <param name="At">When the change became visible.</param>
/// <param name="Index">The catalog index of the change.</param>
/// <param name="Output">The output that came with it.</param>
public sealed record StatusTransition(string CheckId, HealthStatus From, HealthStatus To, DateTimeOffset At, long Index, string Output);

/// <summary>The latest probe of one check.</summary>
/// <param name="CheckId">The check.</param>
/// <param name="LastProbeAt">When it was last probed or reported on; empty before the first.</param>
/// <param name="LatestOutput">The output of that probe or report (which may be newer than the one that set its status).</param>
public sealed record CheckProbe(string CheckId, DateTimeOffset? LastProbeAt, string LatestOutput);

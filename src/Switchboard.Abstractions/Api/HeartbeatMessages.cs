namespace Switchboard.Api;

/// <summary>The optional body of a heartbeat: a status report for instances with a TTL check.</summary>
/// <param name="Status"><c>passing</c>, <c>warning</c> or <c>critical</c>; empty means passing.</param>
/// <param name="Output">A short human-readable note, kept as the instance's check output.</param>
public sealed record HeartbeatRequest(string? Status = null, string? Output = null);

/// <summary>The answer to a heartbeat.</summary>
/// <param name="InstanceId">The instance's id.</param>
/// <param name="Status">Its status after the heartbeat.</param>
/// <param name="LeaseExpiresAt">When the lease runs out without another heartbeat; empty when it has no lease.</param>
public sealed record HeartbeatResponse(string InstanceId, string Status, DateTimeOffset? LeaseExpiresAt);

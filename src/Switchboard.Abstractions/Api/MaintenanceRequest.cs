namespace Switchboard.Api;

/// <summary>The body of <c>PUT /service-discovery/instances/{instance_id}/maintenance</c>.</summary>
/// <param name="Enable">True to put the instance in maintenance (drained from discovery), false to end it. Required.</param>
/// <param name="Reason">Why, shown with the instance (at most 1,024 characters); a default sentence when empty.</param>
public sealed record MaintenanceRequest(bool? Enable = null, string? Reason = null);

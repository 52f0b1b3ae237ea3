namespace Switchboard.Api;

/// <summary>The answer to <c>GET /service-discovery/discover/{service_name}</c>: one healthy instance (seed 001's shape).</summary>
/// <param name="ServiceName">The service's name.</param>
/// <param name="BaseUrl"><c>protocol://host:port/path</c> of the chosen instance.</param>
/// <param name="Status"><c>healthy</c>.</param>
/// <param name="InstanceId">The chosen instance's id.</param>
public sealed record DiscoverResponse(string ServiceName, string BaseUrl, string Status, string InstanceId);

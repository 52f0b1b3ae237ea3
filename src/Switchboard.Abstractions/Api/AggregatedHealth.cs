using System.Text.Json;

namespace Switchboard.Api;

/// <summary>The answer to <c>GET /service-discovery/health/aggregated</c> (seed 001's shape).</summary>
/// <param name="OverallStatus"><c>healthy</c> when every service has a healthy instance, <c>degraded</c> when some have none, <c>unhealthy</c> when none has.</param>
/// <param name="Timestamp">When it was computed.</param>
/// <param name="Services">Each service's health, by name.</param>
/// <param name="TotalServices">How many services are registered.</param>
/// <param name="HealthyServices">How many have at least one healthy instance.</param>
/// <param name="UnhealthyServices">How many have none.</param>
public sealed record AggregatedHealth(
    string OverallStatus,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, ServiceHealth> Services,
    int TotalServices,
    int HealthyServices,
    int UnhealthyServices);

/// <summary>One service's entry in <see cref="AggregatedHealth"/>.</summary>
/// <param name="Status"><c>healthy</c> or <c>unhealthy</c>.</param>
/// <param name="Endpoint">The base URL of a healthy instance, else of any instance.</param>
/// <param name="LastHeartbeat">The latest heartbeat of any of its instances.</param>
/// <param name="HealthData">The body of that instance's last health check when it was JSON, else its output as <c>{"output": ...}</c>.</param>
/// <param name="Instances">How many instances it has.</param>
/// <param name="HealthyInstances">How many of them are healthy.</param>
public sealed record ServiceHealth(string Status, string Endpoint, DateTimeOffset? LastHeartbeat, JsonElement? HealthData, int Instances, int HealthyInstances);

/// <summary>The answer to the registry's own <c>GET /health</c>.</summary>
/// <param name="Status"><c>healthy</c>, or <c>degraded</c> when the store cannot be written.</param>
/// <param name="ServiceDiscovery">The catalog summary (seed 001).</param>
/// <param name="Index">The current catalog index.</param>
/// <param name="Store">The store's kind and state.</param>
public sealed record RegistryHealth(string Status, ServiceDiscoverySummary ServiceDiscovery, long Index, StoreHealth Store);

/// <summary>The catalog summary inside <see cref="RegistryHealth"/>.</summary>
/// <param name="OverallStatus">As in <see cref="AggregatedHealth.OverallStatus"/>.</param>
/// <param name="TotalServices">How many services are registered.</param>
/// <param name="HealthyServices">How many have at least one healthy instance.</param>
/// <param name="UnhealthyServices">How many have none.</param>
/// <param name="TotalInstances">How many instances are registered.</param>
public sealed record ServiceDiscoverySummary(string OverallStatus, int TotalServices, int HealthyServices, int UnhealthyServices, int TotalInstances);

/// <summary>The store's state inside <see cref="RegistryHealth"/>.</summary>
/// <param name="Kind"><c>memory</c>, <c>embedded</c> or <c>redis</c>.</param>
/// <param name="Status"><c>ok</c> or <c>degraded</c>.</param>
/// <param name="Detail">Why it is degraded, when it is.</param>
public sealed record StoreHealth(string Kind, string Status, string? Detail);

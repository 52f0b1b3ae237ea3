using Switchboard.Client.Calls;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;

namespace Switchboard.Samples.Irrigation.Optimizer.Clients;

/// <summary>Seed 000's GISClient over the Switchboard pipeline (discovery, load balancing, retries, circuit breakers).</summary>
internal sealed class GisClient(IServiceClient client)
{
    /// <summary>How long the topology is served from the cache without asking GIS (seed 000: one hour).</summary>
    public static readonly TimeSpan TopologyTtl = TimeSpan.FromHours(1);

    /// <summary>How long after its TTL a cached topology is still served when GIS fails.</summary>
    public static readonly TimeSpan TopologyStaleTtl = TimeSpan.FromHours(24);

    /// <summary>The network topology, cached for <see cref="TopologyTtl"/>; the last known one when GIS fails.</summary>
    /// <param name="refresh">Ask GIS even when a fresh copy is cached (after a network change).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ServiceResult<NetworkTopology>> GetNetworkTopologyAsync(bool refresh, CancellationToken cancellationToken) =>
        client.GetAsync<NetworkTopology>(IrrigationServices.Gis, "api/v1/gis/network/topology", new CallOptions
        {
            Cache = new CacheOptions { Ttl = TopologyTtl, StaleTtl = TopologyStaleTtl, ForceRefresh = refresh },
        }, cancellationToken);
}

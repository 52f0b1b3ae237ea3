using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Api;
using Switchboard.Json;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Api;

/// <summary><c>GET /health</c>: the registry's own health with seed 001's service-discovery summary.</summary>
internal static class RegistryHealthEndpoint
{
    public static JsonHttpResult<RegistryHealth> Get(ServiceCatalog catalog)
    {
        var (services, healthy) = catalog.CountServices();
        var store = catalog.Store.Health;
        var summary = new ServiceDiscoverySummary(ServiceCatalog.OverallStatus(services, healthy), services, healthy, services - healthy, catalog.InstanceCount);
        var status = store.Status == "ok" ? "healthy" : "degraded";
        return TypedResults.Json(new RegistryHealth(status, summary, catalog.Index, store), SwitchboardJsonContext.Default.RegistryHealth);
    }
}

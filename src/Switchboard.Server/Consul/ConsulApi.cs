using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchboard.Instances;

namespace Switchboard.Server.Consul;

/// <summary>The Consul-compatible HTTP API under <c>/v1</c>: existing Consul clients register, query and watch through Switchboard unchanged.</summary>
/// <remarks>Supported endpoints, parameters and mappings: <c>docs/consul-compatibility.md</c>.</remarks>
public static class ConsulApi
{
    private static readonly string[] Methods = ["GET", "PUT", "POST", "DELETE", "PATCH"];

    /// <summary>Maps the Consul endpoints; answers another method on them with Consul's 405, and any other <c>/v1</c> path with 404.</summary>
    public static IEndpointRouteBuilder MapConsulApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var v1 = endpoints.MapGroup("/v1").WithTags("Consul").AddEndpointFilter<ConsulHeadersFilter>();

        Map(v1, "PUT", "/agent/service/register", (HttpContext c, ConsulAgentEndpoints e) => e.RegisterAsync(c));
        Map(v1, "PUT", "/agent/service/deregister/{**id}", (HttpContext c, string? id, ConsulAgentEndpoints e) => e.DeregisterAsync(c, id ?? ""));
        Map(v1, "PUT", "/agent/check/pass/{**id}", (HttpContext c, string? id, ConsulAgentEndpoints e) => e.ReportAsync(c, id ?? "", HealthStatus.Passing));
        Map(v1, "PUT", "/agent/check/warn/{**id}", (HttpContext c, string? id, ConsulAgentEndpoints e) => e.ReportAsync(c, id ?? "", HealthStatus.Warning));
        Map(v1, "PUT", "/agent/check/fail/{**id}", (HttpContext c, string? id, ConsulAgentEndpoints e) => e.ReportAsync(c, id ?? "", HealthStatus.Critical));
        Map(v1, "PUT", "/agent/check/update/{**id}", (HttpContext c, string? id, ConsulAgentEndpoints e) => e.UpdateAsync(c, id ?? ""));
        Map(v1, "GET", "/agent/services", (HttpContext c, ConsulAgentReads r) => r.Services(c));
        Map(v1, "GET", "/agent/checks", (HttpContext c, ConsulAgentReads r) => r.Checks(c));
        Map(v1, "GET", "/agent/self", (HttpContext c, ConsulAgentReads r) => r.Self(c));
        Map(v1, "GET", "/status/leader", (HttpContext c, ConsulAgentReads r) => r.Leader(c));
        Map(v1, "GET", "/status/peers", (HttpContext c, ConsulAgentReads r) => r.Peers(c));
        Map(v1, "GET", "/catalog/datacenters", (HttpContext c, ConsulAgentReads r) => r.Datacenters(c));
        Map(v1, "GET", "/catalog/services", (HttpContext c, ConsulCatalogEndpoints e) => e.ServicesAsync(c));
        Map(v1, "GET", "/catalog/service/{**service}", (HttpContext c, string? service, ConsulCatalogEndpoints e) => e.ServiceAsync(c, service ?? ""));
        Map(v1, "GET", "/health/service/{**service}", (HttpContext c, string? service, ConsulHealthEndpoints e) => e.ServiceAsync(c, service ?? ""));
        Map(v1, "GET", "/health/checks/{**service}", (HttpContext c, string? service, ConsulHealthEndpoints e) => e.ChecksAsync(c, service ?? ""));
        Map(v1, "GET", "/health/state/{**state}", (HttpContext c, string? state, ConsulHealthEndpoints e) => e.StateAsync(c, state ?? ""));

        // Consul's answer to a path it does not serve: 404 with an empty body.
        v1.MapFallback("{**path}", () => Results.NotFound());
        return endpoints;
    }

    private static void Map(RouteGroupBuilder group, string method, string pattern, Delegate handler)
    {
        group.MapMethods(pattern, [method], handler);
        group.MapMethods(pattern, [.. Methods.Where(m => m != method)], (HttpContext c) =>
        {
            c.Response.Headers.Allow = method;
            return ConsulResults.Text(StatusCodes.Status405MethodNotAllowed, $"method {c.Request.Method} not allowed");
        });
    }
}

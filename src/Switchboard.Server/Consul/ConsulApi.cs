using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Storage;
using Switchboard.Server.Http;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Consul;

/// <summary>The Consul-compatible HTTP API under <c>/v1</c>: existing Consul clients register, query and watch through Switchboard unchanged.</summary>
/// <remarks>
/// Supported endpoints, parameters and mappings: <c>docs/consul-compatibility.md</c>. The routes are plain request
/// delegates (no minimal-API parameter binding to compile at the first request): each handler reads what it needs from
/// the <see cref="HttpContext"/>.
/// </remarks>
internal static class ConsulApi
{
    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"];

    /// <summary>Maps the Consul endpoints; answers another method on them with Consul's 405, and any other <c>/v1</c> path with 404.</summary>
    public static IEndpointRouteBuilder MapConsulApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var v1 = endpoints.MapGroup("/v1").WithTags("Consul");

        Map<ConsulAgentEndpoints>(v1, "PUT", "/agent/service/register", static (e, c) => e.RegisterAsync(c));
        Map<ConsulAgentEndpoints>(v1, "PUT", "/agent/service/deregister/{**id}", static (e, c) => e.DeregisterAsync(c, Route(c, "id")));
        Map<ConsulAgentEndpoints>(v1, "PUT", "/agent/service/maintenance/{**id}", static (e, c) => e.MaintenanceAsync(c, Route(c, "id")));
        Map<ConsulAgentEndpoints>(v1, "PUT", "/agent/check/pass/{**id}", static (e, c) => e.ReportAsync(c, Route(c, "id"), HealthStatus.Passing));
        Map<ConsulAgentEndpoints>(v1, "PUT", "/agent/check/warn/{**id}", static (e, c) => e.ReportAsync(c, Route(c, "id"), HealthStatus.Warning));
        Map<ConsulAgentEndpoints>(v1, "PUT", "/agent/check/fail/{**id}", static (e, c) => e.ReportAsync(c, Route(c, "id"), HealthStatus.Critical));
        Map<ConsulAgentEndpoints>(v1, "PUT", "/agent/check/update/{**id}", static (e, c) => e.UpdateAsync(c, Route(c, "id")));
        Map<ConsulAgentReads>(v1, "GET", "/agent/services", static (r, c) => Task.FromResult(r.Services(c)));
        Map<ConsulAgentReads>(v1, "GET", "/agent/checks", static (r, c) => Task.FromResult(r.Checks(c)));
        Map<ConsulAgentReads>(v1, "GET", "/agent/self", static (r, c) => Task.FromResult(r.Self(c)));
        Map<ConsulAgentReads>(v1, "GET", "/status/leader", static (r, c) => Task.FromResult(r.Leader(c)));
        Map<ConsulAgentReads>(v1, "GET", "/status/peers", static (r, c) => Task.FromResult(r.Peers(c)));
        Map<ConsulAgentReads>(v1, "GET", "/catalog/datacenters", static (r, c) => Task.FromResult(r.Datacenters(c)));
        Map<ConsulCatalogEndpoints>(v1, "GET", "/catalog/services", static (e, c) => e.ServicesAsync(c));
        Map<ConsulCatalogEndpoints>(v1, "GET", "/catalog/service/{**service}", static (e, c) => e.ServiceAsync(c, Route(c, "service")));
        Map<ConsulHealthEndpoints>(v1, "GET", "/health/service/{**service}", static (e, c) => e.ServiceAsync(c, Route(c, "service")));
        Map<ConsulHealthEndpoints>(v1, "GET", "/health/checks/{**service}", static (e, c) => e.ChecksAsync(c, Route(c, "service")));
        Map<ConsulHealthEndpoints>(v1, "GET", "/health/state/{**state}", static (e, c) => e.StateAsync(c, Route(c, "state")));
        Map(v1, "/kv/{**key}", new Dictionary<string, Func<HttpContext, Task<IResult>>>
        {
            ["GET"] = static c => c.RequestServices.GetRequiredService<ConsulKvEndpoints>().GetAsync(c),
            ["PUT"] = static c => c.RequestServices.GetRequiredService<ConsulKvEndpoints>().PutAsync(c),
            ["DELETE"] = static c => c.RequestServices.GetRequiredService<ConsulKvEndpoints>().DeleteAsync(c),
        });
        Acl.ConsulAclRoutes.Map(v1);

        // Consul's answer to a path it does not serve: 404 with an empty body.
        v1.MapFallback("{**path}", Answer(static _ => Task.FromResult(Results.NotFound())));
        return endpoints;
    }

    /// <summary>Maps one path for every method: <paramref name="method"/> runs the handler, the others get Consul's 405.</summary>
    internal static void Map<THandler>(RouteGroupBuilder group, string method, string pattern, Func<THandler, HttpContext, Task<IResult>> handler)
        where THandler : notnull
        => group.MapMethods(pattern, Methods, Answer(c => c.Request.Method == method
            ? handler(c.RequestServices.GetRequiredService<THandler>(), c)
            : Task.FromResult(MethodNotAllowed(c, method))));

    /// <summary>Maps one path for several methods, each with its handler (<c>GET</c>, <c>PUT</c> and <c>DELETE</c> on one path); the other methods get Consul's 405.</summary>
    internal static void Map(RouteGroupBuilder group, string pattern, IReadOnlyDictionary<string, Func<HttpContext, Task<IResult>>> handlers)
        => group.MapMethods(pattern, Methods, Answer(c => handlers.TryGetValue(c.Request.Method, out var handler)
            ? handler(c)
            : Task.FromResult(MethodNotAllowed(c, string.Join(", ", handlers.Keys)))));

    private static IResult MethodNotAllowed(HttpContext context, string allowed)
    {
        context.Response.Headers.Allow = allowed;
        return ConsulResults.Text(StatusCodes.Status405MethodNotAllowed, $"method {context.Request.Method} not allowed");
    }

    private static RequestDelegate Answer(ConsulHandler handler) => context => AnswerAsync(context, handler);

    /// <summary>
    /// Runs a handler and writes its answer with Consul's query headers, errors and 404s included (clients read them
    /// unconditionally): <c>X-Consul-Index</c> (unless the handler set a more precise one), <c>X-Consul-KnownLeader: true</c>
    /// and <c>X-Consul-LastContact: 0</c> (one node: it is the leader). A change the store could not save is answered here
    /// for every route: 503 with <c>Retry-After</c> and the reason as text, as Consul writes its errors; so is a blocking
    /// query refused by a limit (429 per client, 503 in all, with <c>Retry-After</c>), and an ACL refusal (Consul's 403 or 400 text, <see cref="ConsulAclResults"/>).
    /// </summary>
    private static async Task AnswerAsync(HttpContext context, ConsulHandler handler)
    {
        var response = context.Response;
        var index = context.RequestServices.GetRequiredService<ServiceCatalog>().PublishedIndex; // read before the handler reads any data
        response.Headers["X-Consul-KnownLeader"] = "true";
        response.Headers["X-Consul-LastContact"] = "0";
        IResult result;
        try
        {
            result = await handler(context);
        }
        catch (RegistryStoreUnavailableException ex)
        {
            StoreUnavailable.SetRetryAfter(response, ex);
            result = ConsulResults.Text(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
        catch (LimitRefusedException ex)
        {
            result = ex.Refusal.Text(context);
        }
        catch (Exception ex) when (ConsulAclResults.Answer(ex) is { } denied)
        {
            result = denied;
        }
        if (!response.Headers.ContainsKey(ConsulIndex.Header))
            ConsulIndex.Set(response, index);
        await result.ExecuteAsync(context);
    }

    /// <summary>Answers one Consul request.</summary>
    private delegate Task<IResult> ConsulHandler(HttpContext context);

    private static string Route(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";
}

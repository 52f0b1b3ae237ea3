using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Storage;
using Switchboard.Server.Http;

namespace Switchboard.Server.Eureka;

/// <summary>The Eureka-compatible HTTP API under <c>/eureka</c> (and <c>/eureka/v2</c>): Eureka clients register, renew and discover through Switchboard's one catalog.</summary>
/// <remarks>Supported operations and the mappings onto Switchboard: <c>docs/eureka-compatibility.md</c>.</remarks>
internal static class EurekaApi
{
    /// <summary>The prefixes the API answers under: Spring Cloud's <c>/eureka</c> and Netflix's <c>/eureka/v2</c>.</summary>
    internal static readonly string[] Prefixes = ["/eureka", "/eureka/v2"];

    /// <summary>Maps the Eureka endpoints; another method on one of their paths is 405.</summary>
    public static IEndpointRouteBuilder MapEurekaApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var prefix in Prefixes)
        {
            var group = endpoints.MapGroup(prefix).WithTags("Eureka");
            Map(group, "/apps", new() { ["GET"] = static c => Task.FromResult(Reads(c).Applications(c)) });
            Map(group, "/apps/delta", new() { ["GET"] = static c => Task.FromResult(Reads(c).Delta(c)) });
            Map(group, "/apps/{app}", new()
            {
                ["GET"] = static c => Task.FromResult(Reads(c).Application(c, Route(c, "app"))),
                ["POST"] = static c => Writes(c).RegisterAsync(c, Route(c, "app")),
            });
            Map(group, "/apps/{app}/{id}", new()
            {
                ["GET"] = static c => Task.FromResult(Reads(c).Instance(c, Route(c, "app"), Route(c, "id"))),
                ["PUT"] = static c => Writes(c).RenewAsync(c, Route(c, "app"), Route(c, "id")),
                ["DELETE"] = static c => Writes(c).CancelAsync(c, Route(c, "app"), Route(c, "id")),
            });
            Map(group, "/apps/{app}/{id}/status", new()
            {
                ["PUT"] = static c => Writes(c).OverrideStatusAsync(c, Route(c, "app"), Route(c, "id")),
                ["DELETE"] = static c => Writes(c).RemoveOverrideAsync(c, Route(c, "app"), Route(c, "id")),
            });
            Map(group, "/apps/{app}/{id}/metadata", new() { ["PUT"] = static c => Writes(c).UpdateMetadataAsync(c, Route(c, "app"), Route(c, "id")) });
            Map(group, "/instances/{id}", new() { ["GET"] = static c => Task.FromResult(Reads(c).Instance(c, null, Route(c, "id"))) });
            Map(group, "/vips/{vip}", new() { ["GET"] = static c => Task.FromResult(Reads(c).Vip(c, Route(c, "vip"), secure: false)) });
            Map(group, "/svips/{vip}", new() { ["GET"] = static c => Task.FromResult(Reads(c).Vip(c, Route(c, "vip"), secure: true)) });
        }
        return endpoints;
    }

    private static readonly string[] Methods = ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"];

    private static void Map(RouteGroupBuilder group, string pattern, Dictionary<string, Func<HttpContext, Task<IResult>>> handlers)
        => group.MapMethods(pattern, Methods, context => AnswerAsync(context, handlers));

    /// <summary>Runs the handler for the request's method and writes its answer; every refusal is answered here, in the encoding the request asks for.</summary>
    private static async Task AnswerAsync(HttpContext context, Dictionary<string, Func<HttpContext, Task<IResult>>> handlers)
    {
        IResult result;
        try
        {
            if (!handlers.TryGetValue(context.Request.Method, out var handler))
            {
                context.Response.Headers.Allow = string.Join(", ", handlers.Keys);
                result = EurekaResults.Problem(context, StatusCodes.Status405MethodNotAllowed, $"Method {context.Request.Method} is not allowed here.");
            }
            else
            {
                result = await handler(context);
            }
        }
        catch (EurekaRequestException ex)
        {
            result = EurekaResults.Problem(context, ex.StatusCode, ex.Field, ex.Message);
        }
        catch (RegistryStoreUnavailableException ex)
        {
            StoreUnavailable.SetRetryAfter(context.Response, ex);
            result = EurekaResults.Problem(context, StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
        catch (CatalogFullException ex)
        {
            result = EurekaResults.Problem(context, StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
        catch (AclNotFoundException)
        {
            result = EurekaResults.Problem(context, StatusCodes.Status403Forbidden, $"{AclMessages.NotFound}: the token sent (X-Consul-Token, Authorization: Bearer or ?token=) names no token, or an expired one.");
        }
        catch (AclPermissionDeniedException ex)
        {
            result = EurekaResults.Problem(context, StatusCodes.Status403Forbidden, ex.Message);
        }
        await result.ExecuteAsync(context);
    }

    private static EurekaReads Reads(HttpContext context) => context.RequestServices.GetRequiredService<EurekaReads>();

    private static EurekaWrites Writes(HttpContext context) => context.RequestServices.GetRequiredService<EurekaWrites>();

    private static string Route(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Consul.Acl;

/// <summary>
/// The <c>/v1/acl</c> routes: bootstrap, policies and tokens, as Consul serves them, over <see cref="AclService"/>.
/// While ACLs are off every one of them answers Consul's 401 <c>ACL support disabled</c>.
/// </summary>
internal static class ConsulAclRoutes
{
    /// <summary>Maps the ACL routes on the <c>/v1</c> group.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        Route(v1, "/acl/bootstrap", ("PUT", ConsulAclTokenEndpoints.BootstrapAsync));
        Route(v1, "/acl/policy", ("PUT", ConsulAclPolicyEndpoints.CreateAsync));
        Route(v1, "/acl/policy/name/{name}", ("GET", ConsulAclPolicyEndpoints.ReadByNameAsync));
        Route(v1, "/acl/policy/{id}", ("GET", ConsulAclPolicyEndpoints.ReadAsync), ("PUT", ConsulAclPolicyEndpoints.UpdateAsync), ("DELETE", ConsulAclPolicyEndpoints.DeleteAsync));
        Route(v1, "/acl/policies", ("GET", ConsulAclPolicyEndpoints.ListAsync));
        Route(v1, "/acl/token", ("PUT", ConsulAclTokenEndpoints.CreateAsync));
        Route(v1, "/acl/token/self", ("GET", ConsulAclTokenEndpoints.SelfAsync));
        Route(v1, "/acl/token/{accessor}", ("GET", ConsulAclTokenEndpoints.ReadAsync), ("PUT", ConsulAclTokenEndpoints.UpdateAsync), ("DELETE", ConsulAclTokenEndpoints.DeleteAsync));
        Route(v1, "/acl/tokens", ("GET", ConsulAclTokenEndpoints.ListAsync));
    }

    /// <summary>A route value of the request (empty when absent).</summary>
    public static string Value(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    private static void Route(RouteGroupBuilder v1, string pattern, params (string Method, Func<AclService, HttpContext, Task<IResult>> Handler)[] handlers)
        => ConsulApi.Map(v1, pattern, handlers.ToDictionary(h => h.Method, h => Enabled(h.Handler), StringComparer.Ordinal));

    /// <summary>Runs <paramref name="handler"/> when ACLs are on (Consul's 401 otherwise); a body that does not decode is Consul's 400 <c>Request decode failed</c>.</summary>
    private static Func<HttpContext, Task<IResult>> Enabled(Func<AclService, HttpContext, Task<IResult>> handler)
        => async context =>
        {
            var acl = context.RequestServices.GetRequiredService<AclService>();
            if (!acl.Enabled)
                return ConsulResults.Text(StatusCodes.Status401Unauthorized, AclMessages.Disabled);
            try
            {
                return await handler(acl, context);
            }
            catch (ConsulDecodeException ex)
            {
                return ConsulResults.BadRequest($"Request decode failed: {ex.Message}");
            }
        };
}

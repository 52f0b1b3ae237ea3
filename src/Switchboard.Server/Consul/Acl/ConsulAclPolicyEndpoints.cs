using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Acl;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Consul.Acl;

/// <summary>The <c>/v1/acl/policy</c> routes: reads need <c>acl:read</c>, writes <c>acl:write</c>.</summary>
internal static class ConsulAclPolicyEndpoints
{
    /// <summary><c>PUT /v1/acl/policy</c>: creates a policy and answers it.</summary>
    public static async Task<IResult> CreateAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclWrite().ThrowIfDenied();
        var request = ConsulAclRequests.Policy(await ConsulBody.ReadAsync(context.Request, context.RequestAborted), urlId: null, Datacenter(context));
        var policy = await acl.CreatePolicyAsync(request, context.RequestAborted);
        return Answer(acl, context, policy);
    }

    /// <summary><c>GET /v1/acl/policy/:id</c>.</summary>
    public static Task<IResult> ReadAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclRead().ThrowIfDenied();
        return Task.FromResult(Answer(acl, context, acl.GetPolicy(ConsulAclRoutes.Value(context, "id"))));
    }

    /// <summary><c>GET /v1/acl/policy/name/:name</c>.</summary>
    public static Task<IResult> ReadByNameAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclRead().ThrowIfDenied();
        return Task.FromResult(Answer(acl, context, acl.GetPolicyByName(ConsulAclRoutes.Value(context, "name"))));
    }

    /// <summary><c>PUT /v1/acl/policy/:id</c>: replaces the name, description and rules.</summary>
    public static async Task<IResult> UpdateAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclWrite().ThrowIfDenied();
        var id = ConsulAclRoutes.Value(context, "id");
        var request = ConsulAclRequests.Policy(await ConsulBody.ReadAsync(context.Request, context.RequestAborted), id, Datacenter(context));
        return Answer(acl, context, await acl.UpdatePolicyAsync(id, request, context.RequestAborted));
    }

    /// <summary><c>DELETE /v1/acl/policy/:id</c>: <c>true</c>, also when there was no such policy (as Consul).</summary>
    public static async Task<IResult> DeleteAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclWrite().ThrowIfDenied();
        await acl.DeletePolicyAsync(ConsulAclRoutes.Value(context, "id"), context.RequestAborted);
        return ConsulAclViews.Deleted(context, acl);
    }

    /// <summary><c>GET /v1/acl/policies</c>: every policy by name, without its rules (Consul's list stub).</summary>
    public static Task<IResult> ListAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclRead().ThrowIfDenied();
        IReadOnlyList<ConsulAclPolicy> list = [.. acl.ListPolicies().Select(p => ConsulAclViews.Policy(p, withRules: false))];
        return Task.FromResult(ConsulAclViews.Json(context, acl, list, static j => j.IReadOnlyListConsulAclPolicy));
    }

    /// <summary>The policy, or 404 <c>ACL policy not found</c>.</summary>
    private static IResult Answer(AclService acl, HttpContext context, AclPolicy? policy)
        => ConsulAclViews.JsonOrNotFound(context, acl, policy is null ? null : ConsulAclViews.Policy(policy), static j => j.ConsulAclPolicy, "ACL policy not found");

    private static string Datacenter(HttpContext context)
        => context.RequestServices.GetRequiredService<IOptions<ConsulApiOptions>>().Value.Datacenter;
}

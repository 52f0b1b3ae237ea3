using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Registry.Acl;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Consul.Acl;

/// <summary>
/// <c>/v1/acl/bootstrap</c> and the <c>/v1/acl/token</c> routes: reads need <c>acl:read</c>, writes <c>acl:write</c>,
/// <c>token/self</c> only a valid token, bootstrap nothing. The secret is in the answer to a create or a bootstrap only.
/// </summary>
internal static class ConsulAclTokenEndpoints
{
    /// <summary><c>PUT /v1/acl/bootstrap</c>, optional body <c>{"BootstrapSecret": "…"}</c>: the first management token, once.</summary>
    public static async Task<IResult> BootstrapAsync(AclService acl, HttpContext context)
    {
        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false;
        var secret = hasBody ? ConsulAclRequests.BootstrapSecret(await ConsulBody.ReadAsync(context.Request, context.RequestAborted)) : null;
        var created = await acl.BootstrapAsync(secret, context.RequestAborted);
        return Answer(acl, context, created.Token, created.SecretId);
    }

    /// <summary><c>PUT /v1/acl/token</c>: creates a token; the answer holds its secret, the only time it is shown.</summary>
    public static async Task<IResult> CreateAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclWrite().ThrowIfDenied();
        var request = ConsulAclRequests.Token(await ConsulBody.ReadAsync(context.Request, context.RequestAborted), urlAccessorId: null);
        var created = await acl.CreateTokenAsync(request, context.RequestAborted);
        return Answer(acl, context, created.Token, created.SecretId);
    }

    /// <summary><c>GET /v1/acl/token/self</c>: the token the request carries; 403 <c>ACL not found</c> for none or an unknown one.</summary>
    public static Task<IResult> SelfAsync(AclService acl, HttpContext context)
        => Task.FromResult(Answer(acl, context, acl.Self(RequestToken.Read(context.Request))));

    /// <summary><c>GET /v1/acl/token/:accessor</c>.</summary>
    public static Task<IResult> ReadAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclRead().ThrowIfDenied();
        return Task.FromResult(Answer(acl, context, acl.GetToken(ConsulAclRoutes.Value(context, "accessor"))));
    }

    /// <summary><c>PUT /v1/acl/token/:accessor</c>: replaces the description and policies; the secret and expiry stay.</summary>
    public static async Task<IResult> UpdateAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclWrite().ThrowIfDenied();
        var accessor = ConsulAclRoutes.Value(context, "accessor");
        var request = ConsulAclRequests.Token(await ConsulBody.ReadAsync(context.Request, context.RequestAborted), accessor);
        return Answer(acl, context, await acl.UpdateTokenAsync(accessor, request, context.RequestAborted));
    }

    /// <summary><c>DELETE /v1/acl/token/:accessor</c>: <c>true</c>, also when there was no such token (as Consul).</summary>
    public static async Task<IResult> DeleteAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclWrite().ThrowIfDenied();
        await acl.DeleteTokenAsync(ConsulAclRoutes.Value(context, "accessor"), context.RequestAborted);
        return ConsulAclViews.Deleted(context, acl);
    }

    /// <summary><c>GET /v1/acl/tokens[?policy=ID]</c>: every token that has not expired, secrets hidden.</summary>
    public static Task<IResult> ListAsync(AclService acl, HttpContext context)
    {
        context.Authorizer().AclRead().ThrowIfDenied();
        var policy = context.Request.Query["policy"].ToString();
        IReadOnlyList<ConsulAclToken> list = [.. acl.ListTokens()
            .Where(t => policy.Length == 0 || t.Policies.Any(l => l.Id == policy))
            .Select(t => ConsulAclViews.Token(t))];
        return Task.FromResult(ConsulAclViews.Json(context, acl, list, static j => j.IReadOnlyListConsulAclToken));
    }

    /// <summary>The token (with <paramref name="secretId"/> only after a create or bootstrap), or 404 <c>ACL token not found</c>.</summary>
    private static IResult Answer(AclService acl, HttpContext context, AclToken? token, string? secretId = null)
        => ConsulAclViews.JsonOrNotFound(context, acl, token is null ? null : ConsulAclViews.Token(token, secretId), static j => j.ConsulAclToken, "ACL token not found");
}

using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Registry.Acl;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Api;

/// <summary>The native API's ACL answers: a ProblemDetails 403 naming the missing permission, or <c>ACL not found</c>.</summary>
internal static class NativeAcl
{
    /// <summary>The request's authorizer; false with the 403 to answer when its token names no token (or an expired one).</summary>
    public static bool TryAuthorize(HttpContext context, [NotNullWhen(true)] out Authorizer? acl, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        try
        {
            acl = context.Authorizer();
            problem = null;
            return true;
        }
        catch (AclNotFoundException)
        {
            acl = null;
            problem = TokenNotFound();
            return false;
        }
    }

    /// <summary>Null when the request's token passes <paramref name="check"/> on <paramref name="name"/>; else the 403 to answer.</summary>
    public static ProblemHttpResult? Deny(HttpContext context, Func<Authorizer, string, AclDecision> check, string name)
    {
        if (!TryAuthorize(context, out var acl, out var problem))
            return problem;
        var decision = check(acl, name);
        return decision.IsAllowed ? null : Forbidden(decision);
    }

    /// <summary><c>service:read</c> on a service.</summary>
    public static readonly Func<Authorizer, string, AclDecision> ServiceRead = static (acl, name) => acl.ServiceRead(name);

    /// <summary><c>service:write</c> on a service.</summary>
    public static readonly Func<Authorizer, string, AclDecision> ServiceWrite = static (acl, name) => acl.ServiceWrite(name);

    /// <summary>403 for a denied check: Consul's sentence as the detail, the permission (<c>service:write</c>) as an extension.</summary>
    public static ProblemHttpResult Forbidden(AclDecision decision)
        => TypedResults.Problem(decision.Message, statusCode: StatusCodes.Status403Forbidden, title: "Permission denied.",
            extensions: new Dictionary<string, object?> { ["permission"] = decision.Permission, ["resource"] = decision.Name });

    /// <summary>403 for a token that names no token, or an expired one (Consul's <c>ACL not found</c>).</summary>
    public static ProblemHttpResult TokenNotFound()
        => TypedResults.Problem($"{AclMessages.NotFound}: the token sent (X-Consul-Token, Authorization: Bearer or ?token=) names no token, or an expired one.",
            statusCode: StatusCodes.Status403Forbidden, title: "ACL not found.");
}

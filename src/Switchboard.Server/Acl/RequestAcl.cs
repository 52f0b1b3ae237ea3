using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Acl;

/// <summary>The authorizer of a request's token, resolved once per request (a cached lookup in <see cref="AclService"/>).</summary>
public static class RequestAcl
{
    /// <summary>
    /// What the request's token may do: <see cref="Authorizer.AllowAll"/> while ACLs are off, the anonymous token's
    /// authorizer when it carries none.
    /// </summary>
    /// <exception cref="AclNotFoundException">The token names no token, or an expired one (403 <c>ACL not found</c>).</exception>
    public static Authorizer Authorizer(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<ResolvedAuthorizer>() is { } resolved)
            return resolved.Value;
        var acl = context.RequestServices.GetRequiredService<AclService>();
        var authorizer = acl.Enabled ? acl.Resolve(RequestToken.Read(context.Request)) : Registry.Acl.Authorizer.AllowAll;
        context.Features.Set(new ResolvedAuthorizer(authorizer));
        return authorizer;
    }

    /// <summary>The accessor id of the request's token for logs and audit events (never the secret): empty while ACLs are off or before it was resolved.</summary>
    public static string AccessorId(this HttpContext context)
        => context?.Features.Get<ResolvedAuthorizer>()?.Value.AccessorId ?? "";

    private sealed record ResolvedAuthorizer(Authorizer Value);
}

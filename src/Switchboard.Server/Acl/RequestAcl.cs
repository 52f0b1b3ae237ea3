using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Acl;

/// <summary>The authorizer of a request's token, resolved once per request (a cached lookup in <see cref="AclService"/>).</summary>
internal static class RequestAcl
{
    /// <summary>
    /// What the request's token may do: <see cref="Authorizer.AllowAll"/> while ACLs are off, the anonymous token's
    /// authorizer when it carries none.
    /// </summary>
    /// <exception cref="AclNotFoundException">The token names no token, or an expired one (403 <c>ACL not found</c>).</exception>
    public static Authorizer Authorizer(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var acl = context.RequestServices.GetRequiredService<AclService>();
        if (!acl.Enabled)
            return Registry.Acl.Authorizer.AllowAll; // nothing to resolve or keep: the hot paths pay one check
        if (context.Features.Get<ResolvedAuthorizer>() is { } resolved)
            return resolved.Value;
        var authorizer = acl.Resolve(RequestToken.Read(context.Request));
        context.Features.Set(new ResolvedAuthorizer(authorizer));
        return authorizer;
    }

    /// <summary>The accessor id of the request's token for logs and audit events (never the secret): empty while ACLs are off or before it was resolved.</summary>
    public static string AccessorId(this HttpContext context)
        => context?.Features.Get<ResolvedAuthorizer>()?.Value.AccessorId ?? "";

    private sealed record ResolvedAuthorizer(Authorizer Value);
}

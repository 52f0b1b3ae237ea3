using Microsoft.AspNetCore.Http;
using Switchboard.Api;
using Switchboard.Registry.Acl;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Api;

/// <summary>
/// Which events an event stream may carry: those of the services its token may read. Re-resolved when the ACL state
/// changes, so a policy edit applies to open streams and a deleted or expired token ends them.
/// </summary>
internal sealed class ReadableEvents
{
    private readonly AclService _acl;
    private readonly TimeProvider _time;
    private readonly string? _secret;
    private Authorizer _authorizer;
    private long _version;

    /// <summary>The filter of <paramref name="context"/>'s token, resolved by <see cref="RequestAcl.Authorizer"/> before the stream starts.</summary>
    public ReadableEvents(HttpContext context, AclService acl, TimeProvider timeProvider)
    {
        _acl = acl;
        _time = timeProvider;
        _secret = RequestToken.Read(context.Request);
        _version = acl.Version;
        _authorizer = context.Authorizer();
    }

    /// <summary>Whether the token was found deleted or expired: the stream ends with the reason.</summary>
    public bool Revoked { get; private set; }

    /// <summary>Picks up an ACL change since the last call; false when the token no longer resolves.</summary>
    public bool Refresh()
    {
        if (!_acl.Enabled)
            return true;
        var version = _acl.Version;
        var expired = _authorizer.ExpirationTime is { } expires && _time.GetUtcNow() >= expires;
        if (version == _version && !expired)
            return true;
        _version = version;
        if (_acl.TryResolve(_secret, out var authorizer))
        {
            _authorizer = authorizer;
            return true;
        }
        Revoked = true;
        return false;
    }

    /// <summary>Whether the stream may carry <paramref name="change"/>.</summary>
    public bool Allows(CatalogEvent change) => _authorizer.IsManagement || _authorizer.ServiceRead(change.ServiceName).IsAllowed;
}

using Microsoft.AspNetCore.Http;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Consul;

/// <summary>How the Consul API answers ACL refusals, in Consul's words (clients match on them).</summary>
internal static class ConsulAclResults
{
    /// <summary>The answer to an ACL exception; null for any other exception.</summary>
    public static IResult? Answer(Exception exception) => exception switch
    {
        AclNotFoundException => Forbidden(AclMessages.NotFound),
        AclPermissionDeniedException denied => Forbidden(denied.Message),
        AclBootstrapNotAllowedException => Forbidden($"{AclMessages.PermissionDenied}: {AclMessages.BootstrapNotAllowed}"),
        AclValidationException invalid => ConsulResults.BadRequest(invalid.Message),
        _ => null,
    };

    /// <summary>403 with Consul's text.</summary>
    public static IResult Forbidden(string message) => ConsulResults.Text(StatusCodes.Status403Forbidden, message);

    /// <summary>403 for a denied check.</summary>
    public static IResult Forbidden(AclDecision decision) => Forbidden(decision.Message);
}

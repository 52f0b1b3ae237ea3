using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Switchboard.Api;
using Switchboard.Registration;
using Switchboard.Registry.Acl;
using Switchboard.Server.Acl;
using Switchboard.Server.Api;
using Switchboard.Server.Http;

namespace Switchboard.Server.Ui;

/// <summary>
/// <c>GET /service-discovery/ui/permissions[?service=name]</c>: what the request's token may do, so the dashboard asks
/// for a token only when ACLs are on and hides the actions the token may not take. The API still checks every call.
/// </summary>
internal static class DashboardPermissions
{
    public const string Route = RegistryRoutes.Prefix + "/ui/permissions";

    public static IResult Get(HttpContext context, AclService acl)
    {
        var service = context.Request.Query["service"].ToString();
        if (service.Length > 0 && ServiceNames.Validate(service) is { } error)
            return ProblemResults.Invalid("service", $"service {error}.");
        if (!NativeAcl.TryAuthorize(context, out var authorizer, out var problem))
            return problem;
        var answer = new UiPermissions(
            acl.Enabled,
            TokenSent: RequestToken.Read(context.Request) is not null,
            authorizer.AccessorId,
            service.Length > 0 ? service : null,
            Read: service.Length == 0 || authorizer.ServiceRead(service).IsAllowed,
            Write: service.Length > 0 && authorizer.ServiceWrite(service).IsAllowed);
        return TypedResults.Json(answer, DashboardJsonContext.Default.UiPermissions);
    }
}

/// <summary>The answer of <c>/service-discovery/ui/permissions</c>.</summary>
/// <param name="AclEnabled">Whether ACLs are on (the page then asks for a token).</param>
/// <param name="TokenSent">Whether the request carried a token (else the anonymous token's rights apply).</param>
/// <param name="AccessorId">The token's accessor id; empty while ACLs are off.</param>
/// <param name="Service">The service asked about, if any.</param>
/// <param name="Read">Whether the token may read that service (true without one).</param>
/// <param name="Write">Whether it may write (deregister, maintenance) that service (false without one).</param>
internal sealed record UiPermissions(bool AclEnabled, bool TokenSent, string AccessorId, string? Service, bool Read, bool Write);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UiPermissions))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;

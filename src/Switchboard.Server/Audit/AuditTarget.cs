using Microsoft.AspNetCore.Http;

namespace Switchboard.Server.Audit;

/// <summary>
/// The target a handler names for the audit when its route carries none: a registration's instance id is in its body,
/// which the audit never reads, so the handler says it once the body is validated.
/// </summary>
internal static class AuditTarget
{
    /// <summary>Names <paramref name="target"/> as the request's audit target.</summary>
    public static void Set(HttpContext context, string target) => context.Features.Set(new Named(target));

    /// <summary>The target a handler named, or null.</summary>
    public static string? Get(HttpContext context) => context.Features.Get<Named>()?.Target;

    private sealed record Named(string Target);
}

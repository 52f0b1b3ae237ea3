using Microsoft.AspNetCore.Http;
using Switchboard.Registry.Diagnostics;
using Switchboard.Server.Http;

namespace Switchboard.Server.Diagnostics;

/// <summary>Counts every write request (<see cref="WriteRequests"/>: the pipeline runs it for writes only) refused, by reason, on <c>switchboard.registry.writes.refused</c>.</summary>
internal sealed class RefusedWritesMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context).ConfigureAwait(false);
        if (Reason(context.Response.StatusCode) is { } reason)
            RegistryTelemetry.Refused(reason);
    }

    /// <summary>The reason label of a refusal's status code; null for an accepted write or an answer that refuses nothing.</summary>
    internal static string? Reason(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType => "validation",
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => "acl",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        StatusCodes.Status503ServiceUnavailable => "store_unavailable",
        _ => null,
    };
}

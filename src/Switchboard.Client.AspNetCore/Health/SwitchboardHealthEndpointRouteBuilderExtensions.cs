using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Client.Health;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Switchboard health endpoint.</summary>
public static class SwitchboardHealthEndpointRouteBuilderExtensions
{
    /// <summary>The default health path.</summary>
    public const string DefaultPattern = "/health";

    /// <summary>
    /// Maps <paramref name="pattern"/> to the application's ASP.NET Core health checks (register them with
    /// <c>services.AddHealthChecks().AddCheck(...)</c>), answering JSON with each named check, and status codes the
    /// registry's active HTTP check understands: 200 healthy (passing), 429 degraded (warning), 503 unhealthy (critical).
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="pattern">The path.</param>
    /// <param name="configure">Adjusts status codes and the tags of the checks that run.</param>
    /// <returns>The endpoint's convention builder.</returns>
    public static IEndpointConventionBuilder MapSwitchboardHealth(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern, Action<SwitchboardHealthOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var options = new SwitchboardHealthOptions();
        configure?.Invoke(options);
        var tags = options.Tags.ToHashSet(StringComparer.Ordinal);
        return endpoints.MapHealthChecks(pattern, new HealthCheckOptions
        {
            Predicate = tags.Count == 0 ? null : registration => registration.Tags.Overlaps(tags),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = options.DegradedStatusCode,
                [HealthStatus.Unhealthy] = options.UnhealthyStatusCode,
            },
            ResponseWriter = HealthResponseWriter.WriteAsync,
            AllowCachingResponses = false,
        });
    }
}

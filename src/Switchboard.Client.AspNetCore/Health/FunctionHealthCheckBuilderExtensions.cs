using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks from plain functions (seed 002's <c>check_functions</c>).</summary>
public static class FunctionHealthCheckBuilderExtensions
{
    /// <summary>Adds a named check that is healthy when <paramref name="check"/> returns true, unhealthy when it returns false or throws.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name, shown in the health response.</param>
    /// <param name="check">The check.</param>
    /// <param name="tags">Tags to select the check by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddFunctionCheck(this IHealthChecksBuilder builder, string name, Func<CancellationToken, Task<bool>> check, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(check);
        return builder.AddAsyncCheck(name, async ct =>
            await check(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"{name} reported failure"), tags);
    }
}

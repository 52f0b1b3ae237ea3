using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Client.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Switchboard discovery for <see cref="HttpClient"/>s from <see cref="IHttpClientFactory"/>.</summary>
public static class SwitchboardHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds a handler that resolves <c>http://service-name/...</c> through Switchboard discovery and the
    /// service's load-balancing policy (power of two choices by default), skipping ejected instances and feeding each
    /// answer to the instance's circuit breaker (shared with <c>IServiceClient</c>). Add resilience handlers
    /// before this one so that each retry resolves and picks again. Adds the Switchboard client when it is not added yet.
    /// </summary>
    /// <param name="builder">The HTTP client builder.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddSwitchboardDiscovery(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSwitchboardCore();
        builder.Services.TryAddTransient<SwitchboardDiscoveryHandler>();
        return builder.AddHttpMessageHandler<SwitchboardDiscoveryHandler>();
    }
}

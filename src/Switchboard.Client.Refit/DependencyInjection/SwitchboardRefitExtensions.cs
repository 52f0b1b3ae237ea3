using System.Text.Json.Serialization;
using Refit;
using Switchboard.Client.Calls;
using Switchboard.Client.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Typed service clients (seed 003 <c>service_interface</c>) with Refit.</summary>
public static class SwitchboardRefitExtensions
{
    /// <summary>
    /// Adds a Refit client for <typeparamref name="TClient"/> whose calls go to <paramref name="serviceName"/> through
    /// Switchboard: discovery, load balancing, retries on other instances, per-instance circuit breakers, timeouts and
    /// the X-Request-ID / X-Service-Name headers. Mark methods with <see cref="SwitchboardCallAttribute"/> for per-method settings.
    /// </summary>
    /// <typeparam name="TClient">The Refit interface.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceName">The service the interface describes.</param>
    /// <param name="jsonContext">The source-generated JSON context of the interface's bodies (Refit 16 generates clients at compile time).</param>
    /// <param name="settings">Refit settings, or null for the defaults.</param>
    /// <returns>
    /// The HTTP client builder. Handlers added to it run once per call, around Switchboard's (which is the primary
    /// handler: it picks the instance and makes every attempt); to act on every attempt, use
    /// <c>AddSwitchboard().AddServiceMiddleware&lt;THandler&gt;()</c>.
    /// </returns>
    public static IHttpClientBuilder AddSwitchboardClient<TClient>(this IServiceCollection services, string serviceName, JsonSerializerContext jsonContext, RefitSettings? settings = null)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentNullException.ThrowIfNull(jsonContext);
        services.AddSwitchboardCore();
        // Refit 16 generates the client at compile time (its source generator runs in the project declaring TClient).
        return services.AddRefitGeneratedClient<TClient>(jsonContext, _ => settings ?? new RefitSettings(), $"Switchboard.Refit.{serviceName}.{typeof(TClient).FullName}")
            .ConfigureHttpClient(c => c.BaseAddress = new Uri($"http://{serviceName}"))
            .ConfigurePrimaryHttpMessageHandler(sp => new SwitchboardRefitHandler(sp.GetRequiredService<ServiceClient>(), serviceName));
    }
}

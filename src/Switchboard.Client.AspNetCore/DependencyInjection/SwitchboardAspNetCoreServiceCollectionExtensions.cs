using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Client;
using Switchboard.Client.Calls;
using Switchboard.Client.Discovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Switchboard for an ASP.NET Core service: the client, self-registration, health checks and request-id propagation.</summary>
public static class SwitchboardAspNetCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Switchboard client (<c>AddSwitchboardCore</c>: options bound from the <c>Switchboard</c> configuration
    /// section and validated at start, the registry client, <see cref="IServiceDiscovery"/>, the load-balancing
    /// policies, resilient calls), self-registration (active when <c>Switchboard:Registration:Enabled</c> is true),
    /// ASP.NET Core health checks for <c>MapSwitchboardHealth</c>, and the propagation of the incoming request's
    /// <c>X-Request-ID</c> to the calls made while serving it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options after configuration is bound.</param>
    /// <returns>A builder for further Switchboard registrations.</returns>
    public static ISwitchboardBuilder AddSwitchboard(this IServiceCollection services, Action<SwitchboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddSwitchboardCore(configure);
        services.TryAddSingleton<IIncomingRequestId, HttpContextRequestId>();
        services.AddSwitchboardRegistration();
        services.AddHealthChecks();
        return builder;
    }
}

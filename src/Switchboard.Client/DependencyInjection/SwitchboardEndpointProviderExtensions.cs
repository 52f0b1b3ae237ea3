using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.ServiceDiscovery;
using Switchboard.Client.Discovery;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs Switchboard into Microsoft.Extensions.ServiceDiscovery.</summary>
public static class SwitchboardEndpointProviderExtensions
{
    /// <summary>
    /// Adds the Switchboard <see cref="IServiceEndpointProviderFactory"/>, so that
    /// <c>services.AddServiceDiscovery().AddSwitchboardEndpointProvider()</c> makes <c>http://user-service</c> resolve
    /// through Switchboard (registry, static URLs, DNS) with push refresh. Adds the Switchboard client when it is not added yet.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddSwitchboardEndpointProvider(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSwitchboardCore();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceEndpointProviderFactory, SwitchboardServiceEndpointProviderFactory>());
        return services;
    }
}

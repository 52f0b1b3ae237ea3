using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Switchboard.Client.SelfRegistration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Switchboard self-registration.</summary>
public static class SwitchboardRegistrationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the hosted service that registers this application with the registry when it has started (when
    /// <c>Switchboard:Registration:Enabled</c> is true), and <see cref="ISelfRegistration"/> to inspect it.
    /// Call <c>AddSwitchboard</c> (which calls this) or <c>AddSwitchboardCore</c> too.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddSwitchboardRegistration(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<SelfRegistrationService>();
        services.TryAddSingleton<ISelfRegistration>(sp => sp.GetRequiredService<SelfRegistrationService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SelfRegistrationService>(sp => sp.GetRequiredService<SelfRegistrationService>()));
        return services;
    }
}

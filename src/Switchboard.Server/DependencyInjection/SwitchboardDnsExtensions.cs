using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Switchboard.Server.Dns;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the registry's DNS interface (docs/dns.md).</summary>
public static class SwitchboardDnsExtensions
{
    /// <summary>
    /// Answers DNS queries (<c>web.service.consul</c>, UDP and TCP) from the registry's catalog, with the settings of
    /// <c>Switchboard:Dns</c> (<see cref="DnsInterfaceOptions"/>; port 8600 by default, 0 turns it off). Call after
    /// <see cref="SwitchboardServerExtensions.AddSwitchboardRegistry"/>.
    /// </summary>
    public static IServiceCollection AddSwitchboardDns(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<DnsInterfaceOptions>().BindConfiguration(DnsInterfaceOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DnsInterfaceOptions>, Switchboard.Server.DependencyInjection.DnsInterfaceOptionsValidator>());
        services.TryAddSingleton<DnsResponder>();
        services.TryAddSingleton<DnsAnswerCache>();
        services.TryAddSingleton<DnsInterfaceService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DnsInterfaceService>(sp => sp.GetRequiredService<DnsInterfaceService>()));
        return services;
    }
}

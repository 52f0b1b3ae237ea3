using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Client;
using Switchboard.Client.Caching;
using Switchboard.Client.Calls;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.Discovery;
using Switchboard.Client.LoadBalancing;
using Switchboard.Client.RegistryApi;
using Switchboard.Client.Resilience;
using Switchboard.Client.Security;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Switchboard client.</summary>
public static class SwitchboardServiceCollectionExtensions
{
    /// <summary>Adds the Switchboard client without self-registration: options, registry client, discovery, load balancing, and <see cref="IServiceClient"/> with its resilience pipeline and response cache.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options after configuration is bound.</param>
    /// <returns>A builder for further Switchboard registrations.</returns>
    public static ISwitchboardBuilder AddSwitchboardCore(this IServiceCollection services, Action<SwitchboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(SwitchboardMarker)))
            AddCoreServices(services);
        if (configure is not null)
            services.Configure(configure);
        return new SwitchboardBuilder(services);
    }

    private static void AddCoreServices(IServiceCollection services)
    {
        services.AddSingleton<SwitchboardMarker>();

        services.AddOptions<SwitchboardOptions>().BindConfiguration(SwitchboardOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SwitchboardOptions>, SwitchboardOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ClientInstruments>();

        services.TryAddSingleton<IRandomFactory, SharedRandomFactory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, RoundRobinPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, RandomPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, WeightedRandomPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, LeastConnectionsPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, PowerOfTwoChoicesPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, FirstAvailablePolicy>());
        services.TryAddSingleton<LoadBalancingPolicyProvider>();

        services.TryAddSingleton<RegistryToken>();
        services.TryAddSingleton<RegistryTlsHandlerFactory>();
        services.AddHttpClient(RegistryClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<RegistryTlsHandlerFactory>().Create())
            .AddHttpMessageHandler(sp => new RegistryTokenHandler(sp.GetRequiredService<RegistryToken>()));
        services.TryAddSingleton<ISwitchboardRegistryClient, RegistryClient>();

        services.TryAddSingleton<IDnsServiceResolver, DnsServiceResolver>();
        services.TryAddSingleton<FallbackResolver>();
        services.TryAddSingleton<SwitchboardServiceDiscovery>();
        services.TryAddSingleton<IServiceDiscovery>(sp => sp.GetRequiredService<SwitchboardServiceDiscovery>());

        services.AddOptions<ServiceClientOptions>();
        services.AddHybridCache();
        services.TryAddSingleton<ServiceResponseCache>();
        services.TryAddSingleton<CircuitBreakerRegistry>();
        services.TryAddSingleton<ICircuitBreakerMonitor>(sp => sp.GetRequiredService<CircuitBreakerRegistry>());
        services.TryAddSingleton<ServicePipelineProvider>();
        services.TryAddSingleton<ServiceHttpClientPool>();
        services.TryAddSingleton<ServiceClient>();
        services.TryAddSingleton<IServiceClient>(sp => sp.GetRequiredService<ServiceClient>());
    }

    /// <summary>Marks a collection that has the Switchboard client, so that adding it twice binds configuration once.</summary>
    private sealed class SwitchboardMarker;
}

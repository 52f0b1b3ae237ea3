using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Registry.Hosting;
using Switchboard.Server.Api;
using Switchboard.Server.Consul;
using Switchboard.Server.Eureka;
using Switchboard.Server.Limits;
using Switchboard.Server.Ui;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Hosts the Switchboard registry in an ASP.NET Core application.</summary>
public static class SwitchboardServerExtensions
{
    /// <summary>Adds the registry engine (durable embedded store by default) and what its HTTP APIs need (Consul's bound from <c>Switchboard:Consul</c>, the limits from <c>Switchboard:Limits</c>).</summary>
    public static ISwitchboardRegistryBuilder AddSwitchboardRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        services.AddOptionsWithValidateOnStart<ConsulApiOptions>().BindConfiguration(ConsulApiOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsulApiOptions>, Switchboard.Server.DependencyInjection.ConsulApiOptionsValidator>());
        services.AddOptionsWithValidateOnStart<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, Switchboard.Server.DependencyInjection.LimitsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, WriteLimitOptionsValidator>());
        services.TryAddSingleton<ServerLimits>();
        services.TryAddSingleton<EventStreamKeepAlive>();
        services.TryAddSingleton<WriteRateLimiter>();
        services.TryAddSingleton<ClientConnectionLimit>();
        services.TryAddSingleton<ConsulNodeInfo>();
        services.TryAddSingleton<ConsulViews>();
        services.TryAddSingleton<ConsulAnswers>();
        services.TryAddSingleton<ConsulAgentEndpoints>();
        services.TryAddSingleton<ConsulAgentReads>();
        services.TryAddSingleton<ConsulCatalogEndpoints>();
        services.TryAddSingleton<ConsulHealthEndpoints>();
        services.TryAddSingleton<ConsulKvEndpoints>();
        services.TryAddSingleton<EurekaViews>();
        services.TryAddSingleton<EurekaRecentChanges>();
        services.TryAddSingleton<EurekaReads>();
        services.TryAddSingleton<EurekaWrites>();
        return services.AddSwitchboardCatalog();
    }

    /// <summary>
    /// Maps the registry's HTTP APIs: the native routes under <c>/service-discovery</c> and <c>/health</c>, and the
    /// Consul-compatible routes under <c>/v1</c>, the Eureka-compatible routes under <c>/eureka</c>, and the web dashboard under <c>/ui</c>. On a <c>WebApplication</c> it also adds the write guards (audit events
    /// and write rate limits, <see cref="SwitchboardPipelineExtensions.UseSwitchboardWriteGuards"/>) to its pipeline, after
    /// routing; elsewhere call that yourself.
    /// </summary>
    public static IEndpointRouteBuilder MapSwitchboardApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints is IApplicationBuilder app)
            app.UseSwitchboardWriteGuards();
        return endpoints.MapNativeRegistryApi().MapConsulApi().MapEurekaApi().MapSwitchboardDashboard();
    }
}

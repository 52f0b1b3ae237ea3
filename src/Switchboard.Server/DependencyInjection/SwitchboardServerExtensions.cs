using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Registry.Hosting;
using Switchboard.Server.Api;
using Switchboard.Server.Consul;
using Switchboard.Server.Limits;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Hosts the Switchboard registry in an ASP.NET Core application.</summary>
public static class SwitchboardServerExtensions
{
    /// <summary>Adds the registry engine (durable embedded store by default) and what its HTTP APIs need (Consul's bound from <c>Switchboard:Consul</c>, the limits from <c>Switchboard:Limits</c>).</summary>
    public static ISwitchboardRegistryBuilder AddSwitchboardRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        services.AddOptionsWithValidateOnStart<ConsulApiOptions>().BindConfiguration(ConsulApiOptions.SectionName).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<LimitsOptions>().BindConfiguration(LimitsOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<ServerLimits>();
        services.TryAddSingleton<ClientConnectionLimit>();
        services.TryAddSingleton<ConsulNodeInfo>();
        services.TryAddSingleton<ConsulViews>();
        services.TryAddSingleton<ConsulAgentEndpoints>();
        services.TryAddSingleton<ConsulAgentReads>();
        services.TryAddSingleton<ConsulCatalogEndpoints>();
        services.TryAddSingleton<ConsulHealthEndpoints>();
        return services.AddSwitchboardCatalog();
    }

    /// <summary>Maps the registry's HTTP APIs: the native routes under <c>/service-discovery</c> and <c>/health</c>, and the Consul-compatible routes under <c>/v1</c>.</summary>
    public static IEndpointRouteBuilder MapSwitchboardApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapNativeRegistryApi().MapConsulApi();
    }
}

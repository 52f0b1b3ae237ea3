using Microsoft.AspNetCore.Routing;
using Switchboard.Registry.Hosting;
using Switchboard.Server.Api;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Hosts the Switchboard registry in an ASP.NET Core application.</summary>
public static class SwitchboardServerExtensions
{
    /// <summary>Adds the registry engine (durable embedded store by default) and what its HTTP API needs.</summary>
    public static ISwitchboardRegistryBuilder AddSwitchboardRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        return services.AddSwitchboardCatalog();
    }

    /// <summary>Maps the registry's HTTP API: the native routes under <c>/service-discovery</c> and <c>/health</c>.</summary>
    public static IEndpointRouteBuilder MapSwitchboardApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapNativeRegistryApi();
    }
}

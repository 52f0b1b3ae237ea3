using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Switchboard.Server.Limits;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Applies the registry's connection limits (<see cref="LimitsOptions"/>) to the Kestrel server hosting it.</summary>
public static class SwitchboardLimitsExtensions
{
    /// <summary>
    /// Sets Kestrel's <c>MaxConcurrentConnections</c> and <c>MaxConcurrentUpgradedConnections</c> to
    /// <see cref="LimitsOptions.EffectiveMaxConnections"/> (by default below the process's descriptor limit). Call in the host
    /// that owns Kestrel; <c>AddSwitchboardRegistry()</c> alone leaves the host's Kestrel settings alone.
    /// </summary>
    public static IServiceCollection AddSwitchboardConnectionLimits(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimitsSetup>();
        return services;
    }

    /// <summary>Adds the per-client connection limit (<see cref="LimitsOptions.MaxConnectionsPerClient"/>) to one listener.</summary>
    public static ListenOptions UseSwitchboardClientConnectionLimit(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var limit = listen.ApplicationServices.GetRequiredService<ClientConnectionLimit>();
        listen.Use(next => connection => limit.OnConnectionAsync(connection, next));
        return listen;
    }

    private sealed class KestrelLimitsSetup(IOptions<LimitsOptions> options) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions kestrel)
        {
            var max = options.Value.EffectiveMaxConnections;
            kestrel.Limits.MaxConcurrentConnections = max;
            kestrel.Limits.MaxConcurrentUpgradedConnections = max;
        }
    }
}

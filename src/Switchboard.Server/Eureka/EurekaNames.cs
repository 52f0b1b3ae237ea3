using Switchboard.Registration;

namespace Switchboard.Server.Eureka;

/// <summary>Maps Eureka application names (upper case by convention, <c>MY_SERVICE</c>) onto Switchboard's service names (lowercase DNS labels) and back.</summary>
/// <remarks>
/// As for Consul names: lowercased, <c>_</c> read as <c>-</c>, so <c>MY_SERVICE</c> and <c>my-service</c> are one service.
/// Eureka matches application names case-insensitively and shows them upper case; so does this API: the name an
/// instance registered with (kept in its metadata) when it has one, else the Switchboard name upper-cased. A name that
/// is still not a DNS name after the mapping is refused with 400.
/// </remarks>
internal static class EurekaNames
{
    /// <summary>The Switchboard name for <paramref name="app"/> (which may still be invalid: see <see cref="TryMap"/>).</summary>
    public static string Map(string app) => Consul.ConsulNames.Map(app);

    /// <summary>Maps <paramref name="app"/>; false with the reason when it cannot be mapped.</summary>
    public static bool TryMap(string app, out string serviceName, out string error)
    {
        serviceName = Map(app);
        if (ServiceNames.Validate(serviceName) is { } reason)
        {
            error = $"app \"{app}\" as a Switchboard name (lowercase, '_' read as '-') {reason}.";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>The application name Eureka shows for a service: the registered Eureka name when one instance has it, else the service's name upper-cased.</summary>
    public static string Display(string serviceName, IEnumerable<Instances.ServiceInstance> instances)
    {
        foreach (var instance in instances)
        {
            if (EurekaMeta.Get(instance.Metadata, EurekaMeta.App) is { } app && Map(app) == serviceName)
                return app.ToUpperInvariant();
        }
        return serviceName.ToUpperInvariant();
    }
}

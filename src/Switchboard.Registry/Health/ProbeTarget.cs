using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Registry.Health;

/// <summary>The host:port a check's probe connects to, the unit of fairness when probes wait for a slot.</summary>
internal static class ProbeTarget
{
    public static string Of(ServiceInstance instance, HealthCheckSpec check) => check.Kind switch
    {
        HealthCheckKind.Http when check.Http is { } http && !http.StartsWith('/') && Uri.TryCreate(http, UriKind.Absolute, out var url) => url.Authority,
        HealthCheckKind.Tcp when !string.IsNullOrEmpty(check.Tcp) => check.Tcp,
        _ => $"{instance.Host}:{instance.Port}",
    };
}

using System.Diagnostics;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Diagnostics;

namespace Switchboard.Registry.Health;

/// <summary>The span (<c>health_check.probe</c>) and the metrics of one health-check probe.</summary>
internal static class ProbeSpan
{
    /// <summary>A new root span for the probe, or null when nobody samples it.</summary>
    public static Activity? Start(CheckRuntime check)
    {
        // The scheduler's loop runs outside any request, so there is no current activity and the probe starts its own trace.
        var activity = RegistryTelemetry.Source.StartActivity("health_check.probe", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("switchboard.check.id", check.CheckId);
            activity.SetTag("switchboard.check.kind", Kind(check));
            activity.SetTag("service.name", check.Owner.Instance.ServiceName);
            activity.SetTag("switchboard.instance.id", check.Owner.Instance.InstanceId);
        }
        return activity;
    }

    /// <summary>Records the result on the span and the probe metrics.</summary>
    public static void End(Activity? activity, CheckRuntime check, HealthStatus result, TimeSpan duration)
    {
        var wire = result.ToWireName();
        if (activity is not null)
        {
            activity.SetTag("switchboard.check.result", wire);
            if (result == HealthStatus.Critical)
                activity.SetStatus(ActivityStatusCode.Error);
        }
        RegistryTelemetry.Probed(Kind(check), wire, duration);
    }

    private static string Kind(CheckRuntime check) => check.Spec.Kind switch
    {
        Registration.HealthCheckKind.Http => "http",
        Registration.HealthCheckKind.Tcp => "tcp",
        _ => "ttl",
    };
}

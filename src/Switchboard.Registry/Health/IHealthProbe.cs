using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Registry.Health;

/// <summary>Runs one active health check probe.</summary>
internal interface IHealthProbe
{
    /// <summary>Runs <paramref name="check"/> of <paramref name="instance"/> once, within the check's timeout.</summary>
    /// <returns>The observed status and a short output (for HTTP checks, the response body when there is one).</returns>
    Task<(HealthStatus Status, string Output)> ProbeAsync(ServiceInstance instance, HealthCheckSpec check, CancellationToken cancellationToken);
}

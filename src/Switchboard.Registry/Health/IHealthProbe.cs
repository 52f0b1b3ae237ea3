using Switchboard.Instances;

namespace Switchboard.Registry.Health;

/// <summary>Runs one active health check probe.</summary>
public interface IHealthProbe
{
    /// <summary>Probes <paramref name="instance"/> once, within its check's timeout.</summary>
    /// <returns>The observed status and a short output (for HTTP checks, the response body when there is one).</returns>
    Task<(HealthStatus Status, string Output)> ProbeAsync(ServiceInstance instance, CancellationToken cancellationToken);
}

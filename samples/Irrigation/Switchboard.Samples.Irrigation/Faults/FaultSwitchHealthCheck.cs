using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Switchboard.Samples.Irrigation.Faults;

/// <summary>Shows the fault mode in <c>/health</c>; healthy, because fail and slow are faults the registry cannot see (and down never answers).</summary>
internal sealed class FaultSwitchHealthCheck(FaultSwitch faults) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy($"fault mode: {FaultSwitch.Name(faults.Mode)}"));
}

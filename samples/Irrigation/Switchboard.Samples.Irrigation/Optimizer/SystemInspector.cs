using System.Text.Json;
using Switchboard.Client.Calls;
using Switchboard.Client.Discovery;
using Switchboard.Client.SelfRegistration;
using Switchboard.Client.Resilience;
using Switchboard.Samples.Irrigation.Hosting;
using Switchboard.Samples.Irrigation.Optimizer.Clients;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>Builds <c>integrated/health</c> (every dependency's /health, called through the pipeline) and <c>integrated/status</c> (discovery, circuits, gates, the optimizer's own state).</summary>
internal sealed class SystemInspector(
    IServiceClient client,
    IServiceDiscovery discovery,
    ICircuitBreakerMonitor circuits,
    ISelfRegistration registration,
    ScadaClient scada,
    OptimizerState state,
    TimeProvider time)
{
    /// <summary>Calls every backend's /health in parallel.</summary>
    public async Task<IntegratedHealth> CheckHealthAsync(CancellationToken ct)
    {
        var checks = await Task.WhenAll(IrrigationServices.Backends.Select(async service =>
        {
            var result = await client.GetAsync<JsonElement>(service, "health", null, ct);
            var status = result.Success ? "healthy" : result.StatusCode is null ? "unreachable" : "unhealthy";
            return new DependencyHealth(service, status, result.InstanceId, result.Attempts, Math.Round(result.Duration.TotalMilliseconds, 1), result.Error);
        }));
        return new IntegratedHealth(checks.All(c => c.Status == "healthy") ? "healthy" : "degraded", time.GetUtcNow(), checks);
    }

    /// <summary>What the optimizer knows of the system, without changing anything.</summary>
    public async Task<IntegratedStatus> StatusAsync(CancellationToken ct)
    {
        var services = await Task.WhenAll(IrrigationServices.Backends.Select(service => DependencyAsync(service, ct)));
        var gates = await scada.GetGateStatusAsync(ct);
        var gateSummary = gates.Success
            ? new GateSummary("live", gates.Value!.Gates.Count, gates.Value.Gates.Count(g => g.Opening > 0), gates.Value.EmergencyStopActive, null)
            : new GateSummary("unavailable", 0, 0, false, gates.Error);
        return new IntegratedStatus(
            IrrigationServices.GravityOptimizer,
            ServiceProfile.Version,
            registration.State.ToString(),
            registration.InstanceId,
            state.Emergency,
            state.Runs,
            state.Last,
            services,
            gateSummary);
    }

    private async Task<DependencyStatus> DependencyAsync(string service, CancellationToken ct)
    {
        var breakers = circuits.GetStates(service)
            .Select(c => new CircuitStatus(c.InstanceId, c.State.ToString().ToLowerInvariant(), c.ConsecutiveFailures))
            .ToArray();
        try
        {
            var found = await discovery.ResolveAsync(service, ct);
            return new DependencyStatus(service, found.Source.ToString().ToLowerInvariant(), found.IsStale, found.Endpoints.Length, found.HealthyEndpoints.Length, breakers, null);
        }
        catch (ServiceNotFoundException ex)
        {
            return new DependencyStatus(service, "none", false, 0, 0, breakers, ex.Message);
        }
    }
}

/// <summary>The answer of <c>integrated/health</c>.</summary>
/// <param name="Status"><c>healthy</c> when every dependency answered its /health, else <c>degraded</c> (optimizations still run, partially).</param>
/// <param name="CheckedAt">When.</param>
/// <param name="Services">One per dependency.</param>
public sealed record IntegratedHealth(string Status, DateTimeOffset CheckedAt, IReadOnlyList<DependencyHealth> Services);

/// <summary>One dependency's health.</summary>
/// <param name="Service">The service.</param>
/// <param name="Status"><c>healthy</c>, <c>unhealthy</c> (its /health said so) or <c>unreachable</c>.</param>
/// <param name="Instance">The instance asked.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Error">What went wrong.</param>
public sealed record DependencyHealth(string Service, string Status, string? Instance, int Attempts, double DurationMs, string? Error);

/// <summary>The answer of <c>integrated/status</c>.</summary>
/// <param name="Service">The optimizer's name.</param>
/// <param name="Version">Its version.</param>
/// <param name="Registration">Its self-registration state.</param>
/// <param name="InstanceId">Its instance id in the registry.</param>
/// <param name="EmergencyStop">The emergency stop latch.</param>
/// <param name="OptimizationsRun">Runs since start.</param>
/// <param name="LastOptimization">The last run.</param>
/// <param name="Services">What discovery knows of each dependency.</param>
/// <param name="Gates">The gates, as SCADA reports them.</param>
public sealed record IntegratedStatus(
    string Service,
    string Version,
    string Registration,
    string? InstanceId,
    EmergencyLatch EmergencyStop,
    int OptimizationsRun,
    OptimizationSummary? LastOptimization,
    IReadOnlyList<DependencyStatus> Services,
    GateSummary Gates);

/// <summary>What discovery knows of one dependency.</summary>
/// <param name="Service">The service.</param>
/// <param name="Source"><c>registry</c>, <c>static</c>, <c>dns</c> or <c>none</c>.</param>
/// <param name="Stale">Whether the registry is unreachable and this is its last answer.</param>
/// <param name="Instances">Instances known.</param>
/// <param name="HealthyInstances">Instances receiving traffic.</param>
/// <param name="Circuits">The circuit breaker of each instance called so far.</param>
/// <param name="Error">Why discovery knows nothing.</param>
public sealed record DependencyStatus(string Service, string Source, bool Stale, int Instances, int HealthyInstances, IReadOnlyList<CircuitStatus> Circuits, string? Error);

/// <summary>One instance's circuit breaker.</summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="State"><c>closed</c>, <c>open</c> or <c>halfopen</c>.</param>
/// <param name="ConsecutiveFailures">Failures since the last success.</param>
public sealed record CircuitStatus(string InstanceId, string State, int ConsecutiveFailures);

/// <summary>The gates at a glance.</summary>
/// <param name="Source"><c>live</c> or <c>unavailable</c>.</param>
/// <param name="Total">Gates.</param>
/// <param name="Open">Gates not closed.</param>
/// <param name="EmergencyStopActive">Whether SCADA has latched an emergency stop.</param>
/// <param name="Error">Why SCADA did not answer.</param>
public sealed record GateSummary(string Source, int Total, int Open, bool EmergencyStopActive, string? Error);

using Switchboard.Client.Calls;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Optimizer.Clients;
using static Switchboard.Samples.Irrigation.Optimizer.StepNames;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>
/// Seed 000's integrated optimization, ten steps. Steps 2–6 are independent reads and run in parallel; each degrades on
/// its own (last known good, defaults, or going on without) and says so in its outcome, so a dependency that is down
/// yields a partial result with reasons, never an error.
/// </summary>
internal sealed partial class OptimizationFlow(
    GisClient gis,
    RosClient ros,
    ScadaClient scada,
    WeatherClient weather,
    SensorDataClient sensors,
    TimeProvider time,
    ILogger<OptimizationFlow> logger)
{
    /// <summary>The allocation assumed per zone and day when ROS has never answered, m³ (deliberately modest).</summary>
    public const double DefaultDailyVolumeM3 = 45_000;

    /// <summary>The share of channel capacity used when water levels are design values rather than measurements.</summary>
    public const double ConservativeCapacityFactor = 0.8;

    /// <summary>The share of forecast rain that reaches the root zone.</summary>
    public const double RainEffectiveness = 0.8;

    /// <summary>Runs the ten steps for <paramref name="request"/>.</summary>
    public async Task<OptimizationResult> RunAsync(ValidOptimization request, string requestId, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var optimizationId = $"opt-{startedAt:yyyyMMdd'T'HHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
        LogStarted(logger, optimizationId, string.Join(",", request.Zones), request.HorizonHours);
        var steps = new StepRecorder();

        // 1. The request arrived and passed validation.
        steps.Record(1, Ok, Computed, $"{request.Zones.Count} zone(s) over {request.HorizonHours} h, {request.TargetVolumesM3.Count} requested volume(s), {request.GateOverrides.Count} gate override(s).");

        // 2-6. Independent reads, in parallel.
        var allocations = ros.GetCurrentAllocationsAsync(cancellationToken);
        var conditions = weather.CheckIrrigationConditionsAsync(cancellationToken);
        var levels = sensors.GetWaterLevelsAsync(cancellationToken);
        var flows = sensors.GetFlowRatesAsync(cancellationToken);
        var gates = scada.GetGateStatusAsync(cancellationToken);
        var topology = gis.GetNetworkTopologyAsync(request.RefreshTopology, cancellationToken);
        await Task.WhenAll(allocations, conditions, levels, flows, gates, topology);

        var inputs = new FlowInputs(
            Allocations(request, await allocations, steps),
            Weather(await conditions, steps),
            Sensors(await levels, await flows, steps),
            GatePositions(await gates, steps),
            Topology(await topology, steps));

        var plan = Optimize(request, inputs, steps);
        var gateRuns = await ExecuteAsync(request, inputs, plan, steps, cancellationToken);
        gateRuns = await VerifyAsync(gateRuns, steps, cancellationToken);
        var zones = Deliveries(request, inputs, plan, gateRuns, steps);
        var reportId = await ReportAsync(optimizationId, request, zones, inputs, startedAt, steps, cancellationToken);

        var result = new OptimizationResult(
            optimizationId,
            requestId,
            steps.AllOk ? Optimized : Partial,
            !steps.AllOk,
            startedAt,
            time.GetUtcNow(),
            request.HorizonHours,
            steps.Steps,
            zones,
            GateResults(gateRuns),
            steps.Warnings,
            reportId);
        LogFinished(logger, optimizationId, result.Status, result.Warnings.Count);
        foreach (var warning in result.Warnings)
            LogWarning(logger, optimizationId, warning);
        return result;
    }

    /// <summary>Step 2: the volume per zone over the window: the request's, else ROS's allocation (live or last known), else the default.</summary>
    private static Dictionary<string, (double Volume, string Source)> Allocations(ValidOptimization request, ServiceResult<AllocationSet> result, StepRecorder steps)
    {
        var share = request.HorizonHours / 24;
        var fromRos = result.Success ? result.Value!.Allocations.ToDictionary(a => a.ZoneId, a => a.VolumeM3PerDay) : [];
        var volumes = new Dictionary<string, (double Volume, string Source)>(StringComparer.Ordinal);
        foreach (var zone in request.Zones)
        {
            volumes[zone] = request.TargetVolumesM3.TryGetValue(zone, out var asked) ? (asked, Request)
                : fromRos.TryGetValue(zone, out var daily) ? (Math.Round(daily * share), result.Degraded ? "ros_cache" : "ros")
                : (Math.Round(DefaultDailyVolumeM3 * share), Default);
        }

        var defaults = volumes.Where(v => v.Value.Source == Default).Select(v => v.Key).ToArray();
        var source = StepRecorder.SourceOf(result);
        if (request.Zones.All(request.TargetVolumesM3.ContainsKey))
            steps.Record(2, Ok, Request, "Every zone's volume was given in the request.", CallInfo.Of(result));
        else if (defaults.Length > 0)
            steps.Record(2, Degraded, Default, $"ROS allocations unavailable ({result.Error ?? "zone missing"}); default {DefaultDailyVolumeM3:0} m³/day used for {string.Join(", ", defaults)}.", CallInfo.Of(result));
        else if (source == StaleCache)
            steps.Record(2, Degraded, StaleCache, $"ROS unavailable ({result.Error}); last known allocations used.", CallInfo.Of(result));
        else
            steps.Record(2, Ok, source, $"Allocations for {result.Value!.Date:yyyy-MM-dd}: {string.Join(", ", request.Zones.Select(z => $"{z} {volumes[z].Volume:0} m³"))}.", CallInfo.Of(result));
        return volumes;
    }

    /// <summary>Step 3: ET₀ and effective rain: live or cached, else the reference ET₀ and no rain.</summary>
    private static (double Et0, double EffectiveRain) Weather(ServiceResult<IrrigationConditions> result, StepRecorder steps)
    {
        if (!result.Success)
        {
            steps.Record(3, Degraded, Default, $"Weather unavailable ({result.Error}); reference ET0 {HydraulicAllocator.ReferenceEt0MmPerDay} mm/day and no rain assumed.", CallInfo.Of(result));
            return (HydraulicAllocator.ReferenceEt0MmPerDay, 0);
        }
        var c = result.Value!;
        var source = StepRecorder.SourceOf(result);
        if (source == StaleCache)
            steps.Record(3, Degraded, StaleCache, $"Weather unavailable ({result.Error}); last known conditions used: ET0 {c.Et0MmPerDay} mm/day, rain {c.RainNext24hMm} mm.", CallInfo.Of(result));
        else
            steps.Record(3, Ok, source, $"ET0 {c.Et0MmPerDay} mm/day, rain {c.RainNext24hMm} mm in 24 h. {c.Recommendation}", CallInfo.Of(result));
        return (c.Et0MmPerDay, c.RainNext24hMm * RainEffectiveness);
    }

    /// <summary>Step 4: water levels (the gates' heads) and flows; without levels, design levels and a reduced capacity.</summary>
    private static SensorInputs Sensors(ServiceResult<WaterLevelReading[]> levels, ServiceResult<FlowReading[]> flows, StepRecorder steps)
    {
        var measuredFlows = flows.Success ? flows.Value!.ToDictionary(f => f.ChannelId, f => f.FlowM3s) : [];
        if (!levels.Success)
        {
            steps.Record(4, Degraded, Default, $"Sensor data unavailable ({levels.Error}); design water levels assumed and channels limited to {ConservativeCapacityFactor:P0} of capacity (partial optimization).", CallInfo.Of(levels), CallInfo.Of(flows));
            return new SensorInputs(new Dictionary<string, double>(), measuredFlows, ConservativeCapacityFactor);
        }
        if (!flows.Success)
            steps.Record(4, Degraded, Live, $"{levels.Value!.Length} water levels read; flow meters unavailable ({flows.Error}).", CallInfo.Of(levels), CallInfo.Of(flows));
        else
            steps.Record(4, Ok, Live, $"{levels.Value!.Length} water levels and {flows.Value!.Length} flow rates read.", CallInfo.Of(levels), CallInfo.Of(flows));
        return new SensorInputs(levels.Value.ToDictionary(l => l.ChannelId, l => l.LevelM), measuredFlows, 1.0);
    }

    /// <summary>Step 5: the gates' openings; unknown when SCADA does not answer (then every gate is commanded).</summary>
    private static Dictionary<string, double>? GatePositions(ServiceResult<GateStatusSet> result, StepRecorder steps)
    {
        if (!result.Success)
        {
            steps.Record(5, Failed, None, $"Gate positions unavailable ({result.Error}); every gate will be commanded.", CallInfo.Of(result));
            return null;
        }
        var set = result.Value!;
        steps.Record(5, set.EmergencyStopActive ? Degraded : Ok, Live, set.EmergencyStopActive
            ? "SCADA reports an emergency stop: every gate is locked closed."
            : $"{set.Gates.Count} gate positions read, {set.Gates.Count(g => g.Opening > 0)} open.", CallInfo.Of(result));
        return set.Gates.ToDictionary(g => g.GateId, g => g.Opening);
    }

    /// <summary>Step 6: the topology from the one-hour cache, else GIS, else the last known one; none means no plan.</summary>
    private static NetworkTopology? Topology(ServiceResult<NetworkTopology> result, StepRecorder steps)
    {
        if (!result.Success)
        {
            steps.Record(6, Failed, None, $"GIS unavailable and no topology cached ({result.Error}); gate set-points cannot be computed.", CallInfo.Of(result));
            return null;
        }
        var t = result.Value!;
        var source = StepRecorder.SourceOf(result);
        steps.Record(6, source == StaleCache ? Degraded : Ok, source, source == StaleCache
            ? $"GIS unavailable ({result.Error}); cached topology {t.Version} used."
            : $"Topology {t.Version}: {t.Zones.Count} zones, {t.Channels.Count} reaches, {t.Gates.Count} gates ({(source == Cache ? "from the 1 h cache" : "from GIS")}).", CallInfo.Of(result));
        return t;
    }

    /// <summary>What steps 2–6 gathered.</summary>
    private sealed record FlowInputs(
        Dictionary<string, (double Volume, string Source)> Volumes,
        (double Et0, double EffectiveRain) Weather,
        SensorInputs Sensors,
        Dictionary<string, double>? Openings,
        NetworkTopology? Topology);

    /// <summary>What step 4 gathered.</summary>
    private sealed record SensorInputs(IReadOnlyDictionary<string, double> Levels, IReadOnlyDictionary<string, double> Flows, double CapacityFactor);
}

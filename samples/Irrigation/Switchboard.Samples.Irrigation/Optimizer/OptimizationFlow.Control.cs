using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Scada;
using static Switchboard.Samples.Irrigation.Optimizer.StepNames;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>Steps 7–10: compute, command, verify, report.</summary>
internal sealed partial class OptimizationFlow
{
    /// <summary>Openings closer than this to the set-point are not commanded, and count as at the set-point when verified.</summary>
    private const double OpeningTolerance = 0.001;

    private const string NotSent = "not_sent";
    private const string Unchanged = "unchanged";

    /// <summary>Step 7: the deterministic hydraulic allocation, on whatever steps 2–6 could provide.</summary>
    private static HydraulicPlan? Optimize(ValidOptimization request, FlowInputs inputs, StepRecorder steps)
    {
        if (inputs.Topology is not { } topology)
        {
            steps.Record(7, Skipped, None, "No network topology (step 6): gate set-points cannot be computed.");
            return null;
        }
        var plan = HydraulicAllocator.Allocate(new HydraulicInputs(
            topology,
            request.Zones,
            request.HorizonHours,
            inputs.Volumes.ToDictionary(v => v.Key, v => v.Value.Volume),
            inputs.Weather.Et0,
            inputs.Weather.EffectiveRain,
            inputs.Sensors.Levels,
            inputs.Sensors.CapacityFactor));
        foreach (var warning in plan.Warnings)
            steps.Warn(warning);

        var summary = $"{plan.Gates.Count(g => g.TargetOpening > 0)} of {plan.Gates.Count} gates open, head release {plan.HeadFlowM3s:0.000} m³/s, {plan.ScaleFactor:P0} of demand deliverable.";
        var degradedInputs = new[] { 2, 3, 4 }.Where(s => steps.StatusOf(s) != Ok).Select(s => StepNames.Steps[s]).ToArray();
        if (degradedInputs.Length > 0)
            steps.Record(7, Degraded, Computed, $"Partial optimization on degraded inputs ({string.Join(", ", degradedInputs)}): {summary}");
        else
            steps.Record(7, Ok, Computed, summary);
        return plan;
    }

    /// <summary>Step 8: one SCADA batch with every set-point that differs from the gate's opening (and every override).</summary>
    private async Task<List<GateRun>> ExecuteAsync(ValidOptimization request, FlowInputs inputs, HydraulicPlan? plan, StepRecorder steps, CancellationToken ct)
    {
        var runs = new List<GateRun>();
        foreach (var gate in plan?.Gates ?? [])
        {
            var overridden = request.GateOverrides.TryGetValue(gate.GateId, out var set);
            runs.Add(new GateRun(gate.GateId, gate.ZoneId, Previous(inputs, gate.GateId), overridden ? set : gate.TargetOpening, overridden, gate.CapacityM3s));
        }
        foreach (var (gateId, set) in request.GateOverrides.Where(o => runs.TrueForAll(r => r.GateId != o.Key)))
            runs.Add(new GateRun(gateId, null, Previous(inputs, gateId), set, true, 0));

        if (plan is null)
        {
            steps.Record(8, Skipped, None, "No plan (step 7): no gate was commanded.");
            return [.. runs.Select(r => r with { Error = "no plan" })];
        }

        var send = runs.Where(r => r.Override || r.Previous is not { } p || Math.Abs(p - r.Target) > OpeningTolerance).ToList();
        runs = [.. runs.Select(r => send.Contains(r) ? r : r with { Command = Unchanged })];
        if (send.Count == 0)
        {
            steps.Record(8, Ok, None, "Every gate is already at its set-point; nothing was sent.");
            return runs;
        }

        var result = await scada.BatchControlAsync([.. send.Select(r => new GateCommand(r.GateId, r.Target))], ct);
        if (!result.Success)
        {
            steps.Record(8, Failed, None, $"Gate commands not carried out ({result.Error}); no gate moved.", CallInfo.Of(result));
            return [.. runs.Select(r => r.Command == NotSent ? r with { Error = "SCADA did not take the batch" } : r)];
        }

        var answers = result.Value!.Results.ToDictionary(a => a.GateId, StringComparer.Ordinal);
        runs = [.. runs.Select(r => answers.TryGetValue(r.GateId, out var a) ? r with { Command = a.Status, Error = a.Error } : r)];
        var refused = runs.Where(r => r.Command == GateCommandStatus.Rejected).ToArray();
        var unchanged = runs.Count(r => r.Command == Unchanged);
        if (refused.Length == 0)
            steps.Record(8, Ok, Live, $"{result.Value.Accepted} gate command(s) accepted by SCADA; {unchanged} gate(s) already at their set-point.", CallInfo.Of(result));
        else
            steps.Record(8, Degraded, Live, $"{refused.Length} of {send.Count} gate command(s) refused by SCADA: {string.Join("; ", refused.Select(r => $"{r.GateId}: {r.Error}"))}", CallInfo.Of(result));
        return runs;
    }

    /// <summary>Step 9: reads the openings back and checks each gate against what SCADA accepted or refused.</summary>
    private async Task<List<GateRun>> VerifyAsync(List<GateRun> runs, StepRecorder steps, CancellationToken ct)
    {
        if (steps.StatusOf(8) is Failed or Skipped)
        {
            steps.Record(9, Skipped, None, "No gate command was carried out (step 8): nothing to verify.");
            return runs;
        }
        var result = await scada.GetGateStatusAsync(ct);
        if (!result.Success)
        {
            steps.Record(9, Failed, None, $"Gate movements not verified ({result.Error}).", CallInfo.Of(result));
            return runs;
        }
        var openings = result.Value!.Gates.ToDictionary(g => g.GateId, g => g.Opening, StringComparer.Ordinal);
        runs = [.. runs.Select(r => Verify(r, openings))];
        var mismatches = runs.Where(r => r.Verification == "mismatch").ToArray();
        var unmoved = runs.Count(r => r.Verification == "unmoved");
        if (mismatches.Length > 0)
            steps.Record(9, Degraded, Live, $"{mismatches.Length} gate(s) not at their set-point: {string.Join("; ", mismatches.Select(r => $"{r.GateId} at {r.Actual} instead of {r.Target}"))}.", CallInfo.Of(result));
        else
            steps.Record(9, Ok, Live, $"{runs.Count(r => r.Verification == "verified")} gate(s) confirmed at their set-point{(unmoved > 0 ? $"; {unmoved} refused gate(s) confirmed unmoved" : "")}.", CallInfo.Of(result));
        return runs;
    }

    /// <summary>Each zone's volume, plan and delivered flow at the gates' actual openings (flow is proportional to opening).</summary>
    private static ZoneResult[] Deliveries(ValidOptimization request, FlowInputs inputs, HydraulicPlan? plan, List<GateRun> runs, StepRecorder steps) =>
        [.. request.Zones.Select(zoneId =>
        {
            var (volume, source) = inputs.Volumes[zoneId];
            var zonePlan = plan?.Zones.FirstOrDefault(z => z.ZoneId == zoneId);
            var efficiency = inputs.Topology?.Zones.FirstOrDefault(z => z.ZoneId == zoneId)?.ConveyanceEfficiency ?? 0;
            var lateral = inputs.Topology?.Gates.FirstOrDefault(g => g.ZoneId == zoneId)?.FeedsChannelId;
            double? measured = lateral is not null && inputs.Sensors.Flows.TryGetValue(lateral, out var f) ? f : null;
            var delivered = steps.StatusOf(8) is Failed or Skipped
                ? 0
                : runs.Where(r => r.ZoneId == zoneId).Sum(r => EffectiveOpening(r) * r.CapacityM3s) * efficiency;
            return new ZoneResult(
                zoneId,
                volume,
                source,
                measured,
                zonePlan?.DemandM3 ?? 0,
                zonePlan?.TargetFlowM3s ?? 0,
                zonePlan?.PlannedFlowM3s ?? 0,
                Math.Round(delivered, 4),
                Math.Round(delivered * request.HorizonHours * 3600));
        })];

    /// <summary>Step 10: tells ROS what will be delivered, keyed by the optimization id so a retry replaces rather than duplicates.</summary>
    private async Task<string?> ReportAsync(string optimizationId, ValidOptimization request, ZoneResult[] zones, FlowInputs inputs, DateTimeOffset start, StepRecorder steps, CancellationToken ct)
    {
        if (steps.StatusOf(8) is Failed or Skipped)
        {
            steps.Record(10, Skipped, None, "No gate command was carried out (step 8): nothing to report.");
            return null;
        }
        var end = start.AddHours(request.HorizonHours);
        var deliveries = zones.Select(z => new ZoneDelivery(
            z.ZoneId,
            z.DeliveredVolumeM3,
            z.DeliveredFlowM3s,
            inputs.Topology?.Zones.First(i => i.ZoneId == z.ZoneId).ConveyanceEfficiency ?? 1,
            start,
            end)).ToArray();
        var result = await ros.ReportDeliveryAsync(new DeliveryReport(optimizationId, deliveries), ct);
        if (!result.Success)
        {
            steps.Record(10, Failed, None, $"Delivery report not accepted by ROS ({result.Error}).", CallInfo.Of(result));
            return null;
        }
        steps.Record(10, Ok, Live, $"Report {result.Value!.ReportId} accepted by ROS: {result.Value.TotalVolumeM3:0} m³ over {request.HorizonHours} h.", CallInfo.Of(result));
        return result.Value.ReportId;
    }

    private static GateResult[] GateResults(List<GateRun> runs) =>
        [.. runs.Select(r => new GateResult(r.GateId, r.ZoneId, r.Previous, r.Target, r.Override, r.Command, r.Error, r.Actual, r.Verification))];

    private static GateRun Verify(GateRun run, Dictionary<string, double> openings)
    {
        if (!openings.TryGetValue(run.GateId, out var actual))
            return run;
        var verification = run.Command switch
        {
            GateCommandStatus.Accepted or Unchanged => Math.Abs(actual - run.Target) <= OpeningTolerance ? "verified" : "mismatch",
            GateCommandStatus.Rejected => run.Previous is not { } p || Math.Abs(actual - p) <= OpeningTolerance ? "unmoved" : "mismatch",
            _ => "not_verified",
        };
        return run with { Actual = actual, Verification = verification };
    }

    /// <summary>The opening a gate is at after step 8: as read in step 9, else as commanded or as it was.</summary>
    private static double EffectiveOpening(GateRun run) =>
        run.Actual ?? (run.Command is GateCommandStatus.Accepted or Unchanged ? run.Target : run.Previous ?? 0);

    private static double? Previous(FlowInputs inputs, string gateId) =>
        inputs.Openings is { } openings && openings.TryGetValue(gateId, out var opening) ? opening : null;

    /// <summary>One gate through steps 8 and 9.</summary>
    private sealed record GateRun(string GateId, string? ZoneId, double? Previous, double Target, bool Override, double CapacityM3s)
    {
        public string Command { get; init; } = NotSent;

        public string? Error { get; init; }

        public double? Actual { get; init; }

        public string Verification { get; init; } = "not_verified";
    }
}

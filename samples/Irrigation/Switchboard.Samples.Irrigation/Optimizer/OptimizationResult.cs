namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>The answer of an integrated optimization: always 200 once the request is valid, whatever the dependencies did.</summary>
/// <param name="OptimizationId">The run's id (also the delivery report's key at ROS).</param>
/// <param name="RequestId">The X-Request-ID every call of the run carried.</param>
/// <param name="Status"><c>optimized</c> when every step succeeded with live data, else <c>partial</c>.</param>
/// <param name="Degraded">True when any step used cached data or defaults, failed or was skipped.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="HorizonHours">The delivery window.</param>
/// <param name="Steps">Seed 000's ten steps, in order, each with its outcome.</param>
/// <param name="Zones">One per requested zone.</param>
/// <param name="Gates">One per gate commanded or planned.</param>
/// <param name="Warnings">Why the result is degraded, readable.</param>
/// <param name="DeliveryReportId">ROS's id for the delivery report, when step 10 succeeded.</param>
public sealed record OptimizationResult(
    string OptimizationId,
    string RequestId,
    string Status,
    bool Degraded,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    double HorizonHours,
    IReadOnlyList<StepOutcome> Steps,
    IReadOnlyList<ZoneResult> Zones,
    IReadOnlyList<GateResult> Gates,
    IReadOnlyList<string> Warnings,
    string? DeliveryReportId);

/// <summary>What one step did.</summary>
/// <param name="Step">1 to 10.</param>
/// <param name="Name">The step's name.</param>
/// <param name="Status"><c>ok</c>, <c>degraded</c> (went on with cached data or defaults), <c>failed</c> (went on without it) or <c>skipped</c>.</param>
/// <param name="Source"><c>live</c>, <c>cache</c> (fresh), <c>stale_cache</c>, <c>default</c>, <c>request</c>, <c>computed</c> or <c>none</c>.</param>
/// <param name="Service">The service called, if any.</param>
/// <param name="Instance">The instance that answered (the last one tried when none did).</param>
/// <param name="Attempts">Attempts made by the resilient pipeline.</param>
/// <param name="DurationMs">How long the step's calls took.</param>
/// <param name="Detail">What happened, readable; the reason when not ok.</param>
public sealed record StepOutcome(int Step, string Name, string Status, string Source, string? Service, string? Instance, int Attempts, double DurationMs, string Detail);

/// <summary>One zone's part of the run.</summary>
/// <param name="ZoneId">The zone.</param>
/// <param name="VolumeM3">The volume asked for over the window, before weather.</param>
/// <param name="VolumeSource"><c>request</c>, <c>ros</c>, <c>ros_cache</c> or <c>default</c>.</param>
/// <param name="MeasuredFlowM3s">The lateral's flow before the run (step 4), when measured.</param>
/// <param name="DemandM3">Field demand after weather, m³.</param>
/// <param name="TargetFlowM3s">Field flow that meets it, m³/s.</param>
/// <param name="PlannedFlowM3s">Field flow of the plan, m³/s.</param>
/// <param name="DeliveredFlowM3s">Field flow at the gates' actual openings after the run (steps 8–9), m³/s.</param>
/// <param name="DeliveredVolumeM3">That flow over the window, m³ (what is reported to ROS).</param>
public sealed record ZoneResult(string ZoneId, double VolumeM3, string VolumeSource, double? MeasuredFlowM3s, double DemandM3, double TargetFlowM3s, double PlannedFlowM3s, double DeliveredFlowM3s, double DeliveredVolumeM3);

/// <summary>One gate's part of the run.</summary>
/// <param name="GateId">The gate.</param>
/// <param name="ZoneId">The zone of a turnout.</param>
/// <param name="PreviousOpening">Its opening before the run (step 5), when known.</param>
/// <param name="TargetOpening">The set-point: the plan's, or the operator's override.</param>
/// <param name="Override">Whether the set-point is an operator override.</param>
/// <param name="Command"><c>accepted</c>, <c>rejected</c> (SCADA refused; the gate did not move), <c>unchanged</c> (already there, not sent) or <c>not_sent</c>.</param>
/// <param name="Error">SCADA's reason for a rejection, or why the command was not sent.</param>
/// <param name="ActualOpening">The opening SCADA reported after the commands (step 9), when read.</param>
/// <param name="Verification"><c>verified</c> (at the target), <c>unmoved</c> (rejected and confirmed where it was), <c>mismatch</c> or <c>not_verified</c>.</param>
public sealed record GateResult(string GateId, string? ZoneId, double? PreviousOpening, double TargetOpening, bool Override, string Command, string? Error, double? ActualOpening, string Verification);

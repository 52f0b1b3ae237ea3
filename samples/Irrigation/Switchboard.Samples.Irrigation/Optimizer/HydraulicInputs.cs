using Switchboard.Samples.Irrigation.Contracts;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>What step 7 computes from.</summary>
/// <param name="Topology">The network (step 6).</param>
/// <param name="Zones">The zones to irrigate; every other zone's turnouts are closed.</param>
/// <param name="HorizonHours">The delivery window.</param>
/// <param name="VolumesM3">Field volume wanted over the window by zone, before weather (step 2).</param>
/// <param name="Et0MmPerDay">Reference evapotranspiration (step 3).</param>
/// <param name="EffectiveRainMm24h">Effective rain expected in 24 hours (step 3).</param>
/// <param name="LevelsM">Water depth above the gate sills by reach (step 4); a missing reach uses its design level.</param>
/// <param name="CapacityFactor">Share of each channel's capacity the plan may use: 1 with live levels, less when they are defaults.</param>
internal sealed record HydraulicInputs(
    NetworkTopology Topology,
    IReadOnlyList<string> Zones,
    double HorizonHours,
    IReadOnlyDictionary<string, double> VolumesM3,
    double Et0MmPerDay,
    double EffectiveRainMm24h,
    IReadOnlyDictionary<string, double> LevelsM,
    double CapacityFactor);

/// <summary>What step 7 computed.</summary>
/// <param name="Zones">One per requested zone.</param>
/// <param name="Gates">One per gate of the topology.</param>
/// <param name="HeadFlowM3s">Release at the head gate, m³/s.</param>
/// <param name="ScaleFactor">Share of the wanted flows the channels can carry (1 when nothing is limited).</param>
/// <param name="Warnings">Limits hit.</param>
internal sealed record HydraulicPlan(IReadOnlyList<ZonePlan> Zones, IReadOnlyList<GatePlan> Gates, double HeadFlowM3s, double ScaleFactor, IReadOnlyList<string> Warnings);

/// <summary>One zone's share.</summary>
/// <param name="ZoneId">The zone.</param>
/// <param name="DemandM3">Field water needed over the window after weather, m³.</param>
/// <param name="TargetFlowM3s">Field flow that would meet the demand, m³/s.</param>
/// <param name="PlannedFlowM3s">Field flow the plan delivers, m³/s.</param>
/// <param name="PlannedVolumeM3">Field volume the plan delivers over the window, m³.</param>
/// <param name="Efficiency">Conveyance efficiency from turnouts to fields.</param>
internal sealed record ZonePlan(string ZoneId, double DemandM3, double TargetFlowM3s, double PlannedFlowM3s, double PlannedVolumeM3, double Efficiency);

/// <summary>One gate's set-point.</summary>
/// <param name="GateId">The gate.</param>
/// <param name="Kind">head, cross or turnout.</param>
/// <param name="ZoneId">The zone of a turnout.</param>
/// <param name="TargetOpening">0 to 1.</param>
/// <param name="FlowM3s">Flow through the gate at the target, m³/s.</param>
/// <param name="CapacityM3s">Flow through the gate fully open at the current head, m³/s (flow is proportional to opening).</param>
internal sealed record GatePlan(string GateId, string Kind, string? ZoneId, double TargetOpening, double FlowM3s, double CapacityM3s);

using System.Text.Json.Serialization;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>The body of <c>POST /api/v1/gravity-optimizer/integrated/optimize/realtime</c>.</summary>
/// <param name="Zones">Required: the zones to irrigate (<c>zone-1</c> ... <c>zone-6</c>); the turnouts of the other zones are closed.</param>
/// <param name="HorizonHours">Required: the delivery window, hours (above 0, at most 72).</param>
/// <param name="TargetVolumesM3">Optional: volumes to deliver to the fields over the window, by zone, instead of ROS's allocation.</param>
/// <param name="GateOverrides">Optional: operator set-points by gate id, sent to SCADA as given (SCADA owns the gate limits and refuses what is outside them).</param>
/// <param name="RefreshTopology">Optional: ask GIS for the topology even when a cached copy is fresh (after a network change).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record OptimizationRequest(
    IReadOnlyList<string?>? Zones,
    double? HorizonHours,
    IReadOnlyDictionary<string, double>? TargetVolumesM3,
    IReadOnlyDictionary<string, double>? GateOverrides,
    bool? RefreshTopology);

/// <summary>An <see cref="OptimizationRequest"/> that passed validation.</summary>
/// <param name="Zones">The zones, in request order.</param>
/// <param name="HorizonHours">The window, hours.</param>
/// <param name="TargetVolumesM3">Requested volumes by zone (may be empty).</param>
/// <param name="GateOverrides">Operator set-points by gate (may be empty).</param>
/// <param name="RefreshTopology">Whether to bypass the topology cache.</param>
internal sealed record ValidOptimization(
    IReadOnlyList<string> Zones,
    double HorizonHours,
    IReadOnlyDictionary<string, double> TargetVolumesM3,
    IReadOnlyDictionary<string, double> GateOverrides,
    bool RefreshTopology);

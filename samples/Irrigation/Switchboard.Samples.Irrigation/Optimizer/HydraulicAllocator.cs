using Switchboard.Samples.Irrigation.Contracts;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>
/// Step 7: a deterministic gravity allocation. Each zone's demand is its volume scaled by ET₀ against a 5 mm/day
/// reference, less effective rain; its turnout flow adds conveyance losses. Zones are capped by their turnouts and
/// lateral, then every zone is scaled by one factor so that no reach (nor the regulator feeding it) is over capacity.
/// Openings follow the sluice-gate equation Q = Cd·b·a·√(2gh), with h the measured depth upstream of the gate.
/// </summary>
internal static class HydraulicAllocator
{
    /// <summary>The ET₀ at which a zone needs exactly its allocation, mm/day.</summary>
    public const double ReferenceEt0MmPerDay = 5.0;

    private const double Gravity = 9.81;
    private const double M3PerHaMm = 10.0;

    /// <summary>Flow through <paramref name="gate"/> fully open with <paramref name="headM"/> of water upstream, m³/s.</summary>
    public static double Capacity(GateInfo gate, double headM) =>
        headM <= 0 ? 0 : gate.DischargeCoefficient * gate.WidthM * gate.MaxOpeningM * Math.Sqrt(2 * Gravity * headM);

    /// <summary>Computes the plan.</summary>
    public static HydraulicPlan Allocate(HydraulicInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var topology = inputs.Topology;
        var warnings = new List<string>();
        var channels = topology.Channels.ToDictionary(c => c.ChannelId, StringComparer.Ordinal);
        var capacity = topology.Gates.ToDictionary(g => g.GateId, g => Capacity(g, Level(inputs, channels, g.ChannelId)), StringComparer.Ordinal);
        var seconds = inputs.HorizonHours * 3600;

        // Demand and turnout flow per zone, capped by the zone's turnouts and lateral.
        var wanted = new Dictionary<string, (ZoneInfo Zone, double Demand, double FieldFlow, double TurnoutFlow)>(StringComparer.Ordinal);
        foreach (var zoneId in inputs.Zones)
        {
            var zone = topology.Zones.First(z => z.ZoneId == zoneId);
            var rain = inputs.EffectiveRainMm24h * M3PerHaMm * zone.AreaHa * (inputs.HorizonHours / 24);
            var demand = Math.Max(0, (inputs.VolumesM3.GetValueOrDefault(zoneId) * inputs.Et0MmPerDay / ReferenceEt0MmPerDay) - rain);
            var fieldFlow = demand / seconds;
            var turnoutFlow = fieldFlow / zone.ConveyanceEfficiency;
            var turnouts = topology.Gates.Where(g => g.ZoneId == zoneId).ToArray();
            var limit = Math.Min(turnouts.Sum(g => capacity[g.GateId]), LateralCapacity(inputs, channels, turnouts));
            if (turnoutFlow > limit)
            {
                warnings.Add($"{zoneId}: needs {turnoutFlow:0.000} m³/s at its turnouts but they and its lateral carry {limit:0.000} m³/s at the current head.");
                turnoutFlow = limit;
            }
            wanted[zoneId] = (zone, demand, fieldFlow, turnoutFlow);
        }

        // One scale factor so that every reach carries what flows through it.
        var turnoutFlows = wanted.ToDictionary(w => w.Key, w => w.Value.TurnoutFlow, StringComparer.Ordinal);
        var scale = 1.0;
        foreach (var channel in topology.Channels)
        {
            var load = Load(topology, channel.ChannelId, turnoutFlows);
            var feeder = topology.Gates.FirstOrDefault(g => g.FeedsChannelId == channel.ChannelId && g.Kind != "turnout");
            var carry = channel.CapacityM3s * inputs.CapacityFactor;
            if (feeder is not null)
                carry = Math.Min(carry, capacity[feeder.GateId]);
            if (load > carry && load > 0)
                scale = Math.Min(scale, carry / load);
        }
        if (scale < 1)
        {
            warnings.Add($"Supply limited: every zone gets {scale:P0} of its demand.");
            foreach (var zoneId in turnoutFlows.Keys.ToArray())
                turnoutFlows[zoneId] *= scale;
        }

        var gates = topology.Gates.Select(g => GatePlanFor(g, topology, turnoutFlows, capacity[g.GateId], warnings)).ToArray();
        var zones = inputs.Zones.Select(zoneId =>
        {
            var (zone, demand, fieldFlow, _) = wanted[zoneId];
            var delivered = gates.Where(g => g.ZoneId == zoneId).Sum(g => g.FlowM3s) * zone.ConveyanceEfficiency;
            return new ZonePlan(zoneId, Math.Round(demand), Math.Round(fieldFlow, 4), Math.Round(delivered, 4), Math.Round(delivered * seconds), zone.ConveyanceEfficiency);
        }).ToArray();
        var head = gates.Where(g => g.Kind == "head").Sum(g => g.FlowM3s);
        return new HydraulicPlan(zones, gates, Math.Round(head, 4), Math.Round(scale, 4), warnings);
    }

    private static GatePlan GatePlanFor(GateInfo gate, NetworkTopology topology, Dictionary<string, double> turnoutFlows, double capacity, List<string> warnings)
    {
        var flow = gate.Kind == "turnout"
            ? turnoutFlows.GetValueOrDefault(gate.ZoneId ?? "") / topology.Gates.Count(g => g.ZoneId == gate.ZoneId)
            : Load(topology, gate.FeedsChannelId, turnoutFlows);
        if (flow > 0 && capacity <= 0)
        {
            warnings.Add($"{gate.GateId}: no water upstream in {gate.ChannelId}; the gate stays closed.");
            return new GatePlan(gate.GateId, gate.Kind, gate.ZoneId, 0, 0, 0);
        }
        var opening = capacity <= 0 ? 0 : Math.Round(Math.Min(1, flow / capacity), 3);
        return new GatePlan(gate.GateId, gate.Kind, gate.ZoneId, opening, Math.Round(opening * capacity, 4), Math.Round(capacity, 4));
    }

    /// <summary>Flow entering <paramref name="channelId"/>: its turnouts plus every reach downstream of it.</summary>
    private static double Load(NetworkTopology topology, string channelId, Dictionary<string, double> turnoutFlows) =>
        topology.Gates.Where(g => g.ChannelId == channelId).Sum(g => g.Kind == "turnout"
            ? turnoutFlows.GetValueOrDefault(g.ZoneId ?? "") / topology.Gates.Count(t => t.ZoneId == g.ZoneId)
            : Load(topology, g.FeedsChannelId, turnoutFlows));

    private static double LateralCapacity(HydraulicInputs inputs, Dictionary<string, ChannelReach> channels, GateInfo[] turnouts) =>
        turnouts.Select(g => g.FeedsChannelId).Distinct().Sum(id => channels.TryGetValue(id, out var c) ? c.CapacityM3s * inputs.CapacityFactor : 0);

    private static double Level(HydraulicInputs inputs, Dictionary<string, ChannelReach> channels, string channelId) =>
        inputs.LevelsM.TryGetValue(channelId, out var level) ? level : channels.TryGetValue(channelId, out var c) ? c.DesignLevelM : 0;
}

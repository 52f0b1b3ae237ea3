using System.Text.Json;
using Switchboard.Samples.Irrigation.Hosting;
using Switchboard.Samples.Irrigation.Network;
using Switchboard.Samples.Irrigation.Optimizer;

namespace Switchboard.Samples.Tests.Optimizer;

public sealed class HydraulicAllocatorTests
{
    private static readonly Dictionary<string, double> LiveLevels = new() { ["RES"] = 2.30, ["MC-1"] = 1.05, ["MC-2"] = 0.90 };

    private static HydraulicInputs Inputs(Dictionary<string, double> volumes, double et0 = HydraulicAllocator.ReferenceEt0MmPerDay, double rain = 0, double capacityFactor = 1, Dictionary<string, double>? levels = null) =>
        new(IrrigationNetwork.Topology, [.. volumes.Keys], 6, volumes, et0, rain, levels ?? LiveLevels, capacityFactor);

    /// <summary>The volume over 6 h that needs <paramref name="turnoutFlow"/> m³/s at the turnouts of <paramref name="zoneId"/> (reference ET, no rain).</summary>
    private static double VolumeFor(string zoneId, double turnoutFlow) =>
        turnoutFlow * IrrigationNetwork.Zones.Single(z => z.ZoneId == zoneId).ConveyanceEfficiency * 6 * 3600;

    [Fact]
    public void Allocate_OneZone_OpeningsFollowTheSluiceGateEquationAndOtherZonesClose()
    {
        var plan = HydraulicAllocator.Allocate(Inputs(new() { ["zone-1"] = 12_000 }));

        var fieldFlow = 12_000 / (6 * 3600.0);
        var perGate = fieldFlow / 0.92 / 3;
        var gate = IrrigationNetwork.Gates.Single(g => g.GateId == "G-01");
        var expected = Math.Round(perGate / HydraulicAllocator.Capacity(gate, 1.05), 3);
        Assert.All(plan.Gates.Where(g => g.ZoneId == "zone-1"), g => Assert.Equal(expected, g.TargetOpening));
        Assert.All(plan.Gates.Where(g => g.ZoneId is not null and not "zone-1"), g => Assert.Equal(0, g.TargetOpening));
        Assert.Equal(0, plan.Gates.Single(g => g.GateId == "G-20").TargetOpening);
        Assert.Equal(fieldFlow / 0.92, plan.HeadFlowM3s, 0.002);
        var zone = Assert.Single(plan.Zones);
        Assert.Equal(fieldFlow, zone.PlannedFlowM3s, 0.002);
        Assert.Equal(1, plan.ScaleFactor);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Allocate_DemandAboveTheMainCanal_ScalesEveryZoneByTheSameFactor()
    {
        var volumes = Enumerable.Range(1, 6).ToDictionary(i => $"zone-{i}", i => VolumeFor($"zone-{i}", 1.1));

        var plan = HydraulicAllocator.Allocate(Inputs(volumes));

        Assert.Equal(6.0 / 6.6, plan.ScaleFactor, 0.001);
        Assert.All(plan.Zones, z => Assert.Equal(plan.ScaleFactor, z.PlannedFlowM3s / z.TargetFlowM3s, 0.01));
        Assert.Contains(plan.Warnings, w => w.StartsWith("Supply limited", StringComparison.Ordinal));
        Assert.Equal(6.0, plan.HeadFlowM3s, 0.01);
    }

    [Fact]
    public void Allocate_DesignLevelsAtReducedCapacity_PlansLessWater()
    {
        var volumes = Enumerable.Range(1, 6).ToDictionary(i => $"zone-{i}", i => VolumeFor($"zone-{i}", 1.1));

        var plan = HydraulicAllocator.Allocate(Inputs(volumes, capacityFactor: OptimizationFlow.ConservativeCapacityFactor, levels: []));

        // Each lateral carries 80 % of 1.2 m³/s, so the six zones ask 6 × 0.96; the main canal carries 80 % of 6.
        Assert.Equal(4.8 / (6 * 0.96), plan.ScaleFactor, 0.001);
        Assert.Equal(4.8, plan.HeadFlowM3s, 0.01);
        Assert.Equal(6, plan.Warnings.Count(w => w.Contains("needs", StringComparison.Ordinal)));
    }

    [Fact]
    public void Allocate_ZoneNeedsMoreThanItsLateral_CappedWithAWarning()
    {
        var plan = HydraulicAllocator.Allocate(Inputs(new() { ["zone-4"] = VolumeFor("zone-4", 2.0) }));

        var zone = Assert.Single(plan.Zones);
        Assert.Equal(1.2 * 0.87, zone.PlannedFlowM3s, 0.002);
        Assert.Contains(plan.Warnings, w => w.StartsWith("zone-4: needs", StringComparison.Ordinal));
    }

    [Fact]
    public void Allocate_RainCoversTheDemand_ZoneGetsNoWater()
    {
        var plan = HydraulicAllocator.Allocate(Inputs(new() { ["zone-2"] = 5_000 }, rain: 40));

        Assert.Equal(0, Assert.Single(plan.Zones).DemandM3);
        Assert.All(plan.Gates, g => Assert.Equal(0, g.TargetOpening));
    }

    [Fact]
    public void Allocate_HigherEvapotranspiration_MoreWater()
    {
        var reference = HydraulicAllocator.Allocate(Inputs(new() { ["zone-3"] = 10_000 }));
        var hot = HydraulicAllocator.Allocate(Inputs(new() { ["zone-3"] = 10_000 }, et0: 6.0));

        Assert.Equal(reference.Zones[0].DemandM3 * 1.2, hot.Zones[0].DemandM3, 1.0);
    }

    [Fact]
    public void Allocate_SameInputs_SamePlan()
    {
        var volumes = new Dictionary<string, double> { ["zone-1"] = 14_000, ["zone-5"] = 15_000 };

        var first = JsonSerializer.Serialize(HydraulicAllocator.Allocate(Inputs(volumes, et0: 5.6, rain: 1.6)), SampleJson.Options);
        var second = JsonSerializer.Serialize(HydraulicAllocator.Allocate(Inputs(volumes, et0: 5.6, rain: 1.6)), SampleJson.Options);

        Assert.Equal(first, second);
    }
}

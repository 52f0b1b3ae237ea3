using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;
using Switchboard.Samples.Irrigation.Network;

namespace Switchboard.Samples.Irrigation.Sensors;

/// <summary>The Sensor Data service (seed 000 SensorDataClient): water levels, flow rates, gate sensors, anomalies.</summary>
internal static class SensorDataApi
{
    /// <summary>Water depth above the gate sills, by reach, m.</summary>
    private static readonly Dictionary<string, double> Levels = new()
    {
        ["RES"] = 2.30,
        ["MC-1"] = 1.05,
        ["MC-2"] = 0.90,
        ["LC-1"] = 0.52,
        ["LC-2"] = 0.47,
        ["LC-3"] = 0.55,
        ["LC-4"] = 0.41,
        ["LC-5"] = 0.50,
        ["LC-6"] = 0.44,
    };

    /// <summary>Measured flow, by reach, m³/s.</summary>
    private static readonly Dictionary<string, double> Flows = new()
    {
        ["MC-1"] = 3.85,
        ["MC-2"] = 1.92,
        ["LC-1"] = 0.61,
        ["LC-2"] = 0.52,
        ["LC-3"] = 0.70,
        ["LC-4"] = 0.44,
        ["LC-5"] = 0.58,
        ["LC-6"] = 0.50,
    };

    /// <summary>The service's profile.</summary>
    public static ServiceProfile Profile { get; } = new(
        IrrigationServices.SensorData,
        3003,
        ["sensors", "telemetry", "realtime"],
        new Dictionary<string, string> { ["water_level_gauges"] = "9", ["flow_meters"] = "8" },
        _ => { },
        endpoints => endpoints.MapSensorDataApi());

    public static IEndpointRouteBuilder MapSensorDataApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/sensors");
        api.MapGet("/water-levels", (TimeProvider time) => TypedResults.Ok(Levels.Select(l => new WaterLevelReading($"WL-{l.Key}", l.Key, l.Value, time.GetUtcNow())).ToArray()));
        api.MapGet("/flow-rates", (TimeProvider time) => TypedResults.Ok(Flows.Select(f => new FlowReading($"FM-{f.Key}", f.Key, f.Value, time.GetUtcNow())).ToArray()));
        api.MapGet("/gates", (TimeProvider time) => TypedResults.Ok(IrrigationNetwork.Gates.Select((g, i) =>
            new GateSensorReading(g.GateId, Math.Round(0.8 + (i % 5 * 0.35), 2), Math.Round(38.5 + (i % 4 * 1.7), 1), time.GetUtcNow())).ToArray()));
        api.MapGet("/anomalies", (TimeProvider time) => TypedResults.Ok(new[]
        {
            new SensorAnomaly("WL-MC-2", "drift", "low", "Reading drifts about +2 cm a day against the staff gauge; recalibration due.", time.GetUtcNow().AddHours(-7)),
        }));
        return endpoints;
    }
}

namespace Switchboard.Samples.Irrigation.Hosting;

/// <summary>The names the sample's services register under.</summary>
internal static class IrrigationServices
{
    /// <summary>GIS: spatial data and network topology.</summary>
    public const string Gis = "gis-service";

    /// <summary>ROS: the Resource Optimization Service (allocations, demand, schedules, delivery reports).</summary>
    public const string Ros = "ros-service";

    /// <summary>SCADA: gate status and control.</summary>
    public const string Scada = "scada-service";

    /// <summary>Weather: conditions, forecast, evapotranspiration.</summary>
    public const string Weather = "weather-service";

    /// <summary>Sensor Data: water levels, flow rates, gate sensors, anomalies.</summary>
    public const string SensorData = "sensor-data-service";

    /// <summary>The Gravity Optimizer (seed 000's <c>gravity-optimizer</c>).</summary>
    public const string GravityOptimizer = "gravity-optimizer";

    /// <summary>The five backends the optimizer calls.</summary>
    public static IReadOnlyList<string> Backends { get; } = [Ros, Weather, SensorData, Scada, Gis];
}

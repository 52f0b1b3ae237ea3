namespace Switchboard.Samples.Irrigation.Hosting;

/// <summary>Seed 000's environment variables: service URLs used when the registry does not know a service.</summary>
internal static class SeedEnvironment
{
    /// <summary>The variables, by the service they locate.</summary>
    public static IReadOnlyDictionary<string, string> ServiceUrlVariables { get; } = new Dictionary<string, string>
    {
        [IrrigationServices.Gis] = "GIS_SERVICE_URL",
        [IrrigationServices.Ros] = "ROS_SERVICE_URL",
        [IrrigationServices.Scada] = "SCADA_SERVICE_URL",
        [IrrigationServices.Weather] = "WEATHER_SERVICE_URL",
        [IrrigationServices.SensorData] = "SENSOR_DATA_SERVICE_URL",
    };

    /// <summary>Maps each variable that is set to <c>Switchboard:Static:{service}</c>, the client's static fallback.</summary>
    public static void AddServiceUrlFallbacks(IConfigurationBuilder configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (service, variable) in ServiceUrlVariables)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } url)
                values[$"Switchboard:Static:{service}"] = url;
        }
        if (values.Count > 0)
            configuration.AddInMemoryCollection(values);
    }
}

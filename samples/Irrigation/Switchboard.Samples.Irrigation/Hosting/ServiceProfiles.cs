using Switchboard.Samples.Irrigation.Gis;
using Switchboard.Samples.Irrigation.Optimizer;
using Switchboard.Samples.Irrigation.Ros;
using Switchboard.Samples.Irrigation.Scada;
using Switchboard.Samples.Irrigation.Sensors;
using Switchboard.Samples.Irrigation.Weather;

namespace Switchboard.Samples.Irrigation.Hosting;

/// <summary>The six services this process image can be (<c>--service NAME</c>).</summary>
internal static class ServiceProfiles
{
    /// <summary>Every profile.</summary>
    public static IReadOnlyList<ServiceProfile> All { get; } =
        [GisApi.Profile, RosApi.Profile, ScadaApi.Profile, WeatherApi.Profile, SensorDataApi.Profile, OptimizerApi.Profile];

    /// <summary>The profile named <paramref name="name"/>, or null.</summary>
    public static ServiceProfile? Find(string? name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

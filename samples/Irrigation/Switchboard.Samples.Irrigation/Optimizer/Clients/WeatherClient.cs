using Switchboard.Client.Calls;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;

namespace Switchboard.Samples.Irrigation.Optimizer.Clients;

/// <summary>Seed 000's WeatherClient over the Switchboard pipeline.</summary>
internal sealed class WeatherClient(IServiceClient client)
{
    /// <summary>Always asks the service; when it fails, the last conditions it gave (up to 6 hours old) are served, marked degraded.</summary>
    private static readonly CallOptions LastKnownGood = new()
    {
        Cache = new CacheOptions { ForceRefresh = true, StaleTtl = TimeSpan.FromHours(6) },
    };

    /// <summary>Whether to irrigate now, with ET₀ and expected rain (seed 000 <c>check_irrigation_conditions</c>).</summary>
    public Task<ServiceResult<IrrigationConditions>> CheckIrrigationConditionsAsync(CancellationToken cancellationToken) =>
        client.GetAsync<IrrigationConditions>(IrrigationServices.Weather, "api/v1/weather/irrigation-conditions", LastKnownGood, cancellationToken);
}

using Switchboard.Client.Calls;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;

namespace Switchboard.Samples.Irrigation.Optimizer.Clients;

/// <summary>Seed 000's WeatherClient over the Switchboard pipeline.</summary>
internal sealed class WeatherClient(IServiceClient client)
{
    /// <summary>Weather changes slowly: answers are reused for 10 minutes, and for up to 6 hours when the service fails.</summary>
    private static readonly CallOptions Cached = new()
    {
        Cache = new CacheOptions { Ttl = TimeSpan.FromMinutes(10), StaleTtl = TimeSpan.FromHours(6) },
    };

    /// <summary>Whether to irrigate now, with ET₀ and expected rain (seed 000 <c>check_irrigation_conditions</c>).</summary>
    public Task<ServiceResult<IrrigationConditions>> CheckIrrigationConditionsAsync(CancellationToken cancellationToken) =>
        client.GetAsync<IrrigationConditions>(IrrigationServices.Weather, "api/v1/weather/irrigation-conditions", Cached, cancellationToken);
}

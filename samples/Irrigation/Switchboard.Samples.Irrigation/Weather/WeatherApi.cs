using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;

namespace Switchboard.Samples.Irrigation.Weather;

/// <summary>The Weather service (seed 000 WeatherClient): current conditions, forecast, evapotranspiration, irrigation suitability.</summary>
internal static class WeatherApi
{
    private const string Station = "TMD-48431";
    private const double Et0Today = 5.6;
    private const double RainEffectiveness = 0.8;

    /// <summary>Rain per forecast day, mm (a fixed dry-season pattern).</summary>
    private static readonly double[] RainPattern = [2.0, 0.0, 6.5, 0.0, 0.0, 12.0, 3.0];

    /// <summary>The service's profile.</summary>
    public static ServiceProfile Profile { get; } = new(
        IrrigationServices.Weather,
        3009,
        ["weather", "forecast", "evapotranspiration"],
        new Dictionary<string, string> { ["station"] = Station, ["forecast_days"] = "14" },
        _ => { },
        endpoints => endpoints.MapWeatherApi());

    public static IEndpointRouteBuilder MapWeatherApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/weather");
        api.MapGet("/current", (TimeProvider time) => TypedResults.Ok(new WeatherConditions(Station, 31.4, 64, 0.0, 2.8, time.GetUtcNow())));
        api.MapGet("/forecast", GetForecast);
        api.MapGet("/et", (TimeProvider time) => TypedResults.Ok(new Evapotranspiration(Today(time), Et0Today, "FAO-56 Penman-Monteith")));
        api.MapGet("/irrigation-conditions", GetIrrigationConditions);
        return endpoints;
    }

    private static Results<Ok<DailyForecast[]>, ValidationProblem> GetForecast(int? days, TimeProvider time)
    {
        if (days is not (null or (>= 1 and <= 14)))
            return ProblemResults.Invalid("days", $"days must be between 1 and 14 (got {days}).");
        var today = Today(time);
        return TypedResults.Ok(Enumerable.Range(0, days ?? 7)
            .Select(d => new DailyForecast(today.AddDays(d), 24.1 + (d % 3 * 0.4), 33.0 - (d * 0.3), RainPattern[d % RainPattern.Length], Math.Round(Et0Today - (d * 0.1), 2)))
            .ToArray());
    }

    private static Ok<IrrigationConditions> GetIrrigationConditions()
    {
        var rain = RainPattern[0];
        var effective = rain * RainEffectiveness;
        var suitable = Et0Today > effective;
        return TypedResults.Ok(new IrrigationConditions(
            suitable,
            Et0Today,
            rain,
            2.8,
            suitable
                ? $"Irrigate: ET0 {Et0Today} mm/day exceeds the {effective:0.0} mm of effective rain expected in 24 h."
                : $"Hold: {effective:0.0} mm of effective rain expected in 24 h covers ET0 {Et0Today} mm/day."));
    }

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}

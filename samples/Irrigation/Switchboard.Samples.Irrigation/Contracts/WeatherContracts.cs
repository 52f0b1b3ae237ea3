namespace Switchboard.Samples.Irrigation.Contracts;

/// <summary>Current conditions (Weather <c>current</c>).</summary>
/// <param name="StationId">The station.</param>
/// <param name="TemperatureC">Air temperature, °C.</param>
/// <param name="HumidityPct">Relative humidity, %.</param>
/// <param name="RainfallMm">Rain in the last hour, mm.</param>
/// <param name="WindMs">Wind speed, m/s.</param>
/// <param name="ObservedAt">Observation time.</param>
public sealed record WeatherConditions(string StationId, double TemperatureC, double HumidityPct, double RainfallMm, double WindMs, DateTimeOffset ObservedAt);

/// <summary>One day of forecast (Weather <c>forecast</c>).</summary>
/// <param name="Date">The day.</param>
/// <param name="MinTemperatureC">Minimum, °C.</param>
/// <param name="MaxTemperatureC">Maximum, °C.</param>
/// <param name="RainMm">Rain, mm.</param>
/// <param name="Et0Mm">Reference evapotranspiration, mm.</param>
public sealed record DailyForecast(DateOnly Date, double MinTemperatureC, double MaxTemperatureC, double RainMm, double Et0Mm);

/// <summary>Reference evapotranspiration (Weather <c>et</c>).</summary>
/// <param name="Date">The day.</param>
/// <param name="Et0MmPerDay">ET₀, mm/day.</param>
/// <param name="Method">How it was computed.</param>
public sealed record Evapotranspiration(DateOnly Date, double Et0MmPerDay, string Method);

/// <summary>Whether to irrigate now (Weather <c>irrigation-conditions</c>, seed 000 <c>check_irrigation_conditions</c>).</summary>
/// <param name="Suitable">Whether irrigating now makes sense.</param>
/// <param name="Et0MmPerDay">ET₀, mm/day.</param>
/// <param name="RainNext24hMm">Rain expected in the next 24 hours, mm.</param>
/// <param name="WindMs">Wind speed, m/s.</param>
/// <param name="Recommendation">Readable advice.</param>
public sealed record IrrigationConditions(bool Suitable, double Et0MmPerDay, double RainNext24hMm, double WindMs, string Recommendation);

using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;
using Switchboard.Samples.Irrigation.Network;

namespace Switchboard.Samples.Irrigation.Ros;

/// <summary>The Resource Optimization Service (seed 000 ROSClient): allocations, demand forecasts, schedules, delivery reports.</summary>
internal static class RosApi
{
    /// <summary>Allocated water per hectare and day (paddy rice needs about 10 mm a day).</summary>
    public const double AllocationM3PerHaDay = 95;

    /// <summary>The service's profile.</summary>
    public static ServiceProfile Profile { get; } = new(
        IrrigationServices.Ros,
        3047,
        ["ros", "allocation", "scheduling"],
        new Dictionary<string, string> { ["zones"] = "6", ["planning_horizon_days"] = "7" },
        services => services.AddSingleton<DeliveryReportStore>(),
        endpoints => endpoints.MapRosApi());

    public static IEndpointRouteBuilder MapRosApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/ros");
        api.MapGet("/allocations/current", GetAllocations);
        api.MapGet("/demand-forecast", GetDemandForecast);
        api.MapGet("/schedules", GetSchedules);
        api.MapPost("/delivery-reports", PostDeliveryReport);
        api.MapGet("/delivery-reports", (DeliveryReportStore store, int? limit) => TypedResults.Ok(store.Latest(Math.Clamp(limit ?? 20, 1, 500))));
        return endpoints;
    }

    private static Ok<AllocationSet> GetAllocations(TimeProvider time) => TypedResults.Ok(new AllocationSet(
        DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
        [.. IrrigationNetwork.Zones.Select((z, i) => new ZoneAllocation(z.ZoneId, Math.Round(z.AreaHa * AllocationM3PerHaDay), z.Crop == "rice" ? 1 : 2 + (i % 2)))]));

    private static Results<Ok<DemandForecast>, ValidationProblem> GetDemandForecast(string? zone, int? days, TimeProvider time)
    {
        var info = IrrigationNetwork.Zones.FirstOrDefault(z => z.ZoneId == zone);
        if (info is null)
            return ProblemResults.Invalid("zone", $"zone must be one of {string.Join(", ", IrrigationNetwork.Zones.Select(z => z.ZoneId))} (got '{zone}').");
        if (days is not (null or (>= 1 and <= 14)))
            return ProblemResults.Invalid("days", $"days must be between 1 and 14 (got {days}).");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var daily = info.AreaHa * AllocationM3PerHaDay;
        return TypedResults.Ok(new DemandForecast(info.ZoneId, [.. Enumerable.Range(0, days ?? 7).Select(d => new DailyDemand(today.AddDays(d), Math.Round(daily * (1.0 + (0.03 * ((d % 4) - 1.5))))))]));
    }

    private static Ok<IrrigationSchedule[]> GetSchedules() => TypedResults.Ok(IrrigationNetwork.Zones.Select((z, i) =>
        new IrrigationSchedule(z.ZoneId, new TimeOnly(5 + (i % 3) * 4, 0), 12, i % 2 == 0 ? ["mon", "wed", "fri", "sun"] : ["tue", "thu", "sat"])).ToArray());

    private static Results<Created<DeliveryReceipt>, Ok<DeliveryReceipt>, ValidationProblem> PostDeliveryReport(DeliveryReport? report, DeliveryReportStore store, TimeProvider time)
    {
        if (Validate(report) is { Count: > 0 } errors)
            return ProblemResults.Invalid(errors);
        var zones = report!.Zones!;
        var receipt = new DeliveryReceipt($"rpt-{report.OptimizationId}", report.OptimizationId!, time.GetUtcNow(), Math.Round(zones.Sum(z => z.VolumeM3)), zones);
        return store.Upsert(receipt)
            ? TypedResults.Created($"/api/v1/ros/delivery-reports/{receipt.ReportId}", receipt)
            : TypedResults.Ok(receipt);
    }

    private static Dictionary<string, string[]> Validate(DeliveryReport? report)
    {
        var errors = new Dictionary<string, string[]>();
        if (report is null)
            return new() { ["body"] = ["A JSON delivery report is required."] };
        if (string.IsNullOrWhiteSpace(report.OptimizationId))
            errors["optimization_id"] = ["optimization_id is required."];
        if (report.Zones is not { Count: > 0 })
        {
            errors["zones"] = ["zones must list at least one zone delivery."];
            return errors;
        }
        for (var i = 0; i < report.Zones.Count; i++)
        {
            var z = report.Zones[i];
            if (IrrigationNetwork.Zones.All(known => known.ZoneId != z.ZoneId))
                errors[$"zones[{i}].zone_id"] = [$"unknown zone '{z.ZoneId}'."];
            if (z.VolumeM3 < 0 || !double.IsFinite(z.VolumeM3))
                errors[$"zones[{i}].volume_m3"] = [$"volume_m3 must be a non-negative number (got {z.VolumeM3})."];
            if (z.FlowRateM3s < 0 || !double.IsFinite(z.FlowRateM3s))
                errors[$"zones[{i}].flow_rate_m3s"] = [$"flow_rate_m3s must be a non-negative number (got {z.FlowRateM3s})."];
            if (z.Efficiency is <= 0 or > 1)
                errors[$"zones[{i}].efficiency"] = [$"efficiency must be in (0, 1] (got {z.Efficiency})."];
            if (z.End < z.Start)
                errors[$"zones[{i}].end"] = ["end must not be before start."];
        }
        return errors;
    }
}

namespace Switchboard.Samples.Irrigation.Contracts;

/// <summary>Today's water allocations (ROS <c>allocations/current</c>).</summary>
/// <param name="Date">The allocation day.</param>
/// <param name="Allocations">One per zone.</param>
public sealed record AllocationSet(DateOnly Date, IReadOnlyList<ZoneAllocation> Allocations);

/// <summary>One zone's allocation.</summary>
/// <param name="ZoneId">The zone.</param>
/// <param name="VolumeM3PerDay">Allocated volume, m³ per day.</param>
/// <param name="Priority">1 (highest) to 3.</param>
public sealed record ZoneAllocation(string ZoneId, double VolumeM3PerDay, int Priority);

/// <summary>A zone's demand forecast (ROS <c>demand-forecast</c>).</summary>
/// <param name="ZoneId">The zone.</param>
/// <param name="Days">One entry per day.</param>
public sealed record DemandForecast(string ZoneId, IReadOnlyList<DailyDemand> Days);

/// <summary>The forecast demand of one day.</summary>
/// <param name="Date">The day.</param>
/// <param name="DemandM3">Water demand, m³.</param>
public sealed record DailyDemand(DateOnly Date, double DemandM3);

/// <summary>A zone's irrigation rotation (ROS <c>schedules</c>).</summary>
/// <param name="ZoneId">The zone.</param>
/// <param name="StartsAt">Local start time of the daily window.</param>
/// <param name="Hours">Window length, hours.</param>
/// <param name="Days">Days of the week served.</param>
public sealed record IrrigationSchedule(string ZoneId, TimeOnly StartsAt, double Hours, IReadOnlyList<string> Days);

/// <summary>What the optimizer reports after delivering water (seed 000 <c>report_delivery_status</c>).</summary>
/// <param name="OptimizationId">The optimization; a second report with the same id replaces the first (so the report may be retried).</param>
/// <param name="Zones">One entry per zone served.</param>
public sealed record DeliveryReport(string? OptimizationId, IReadOnlyList<ZoneDelivery>? Zones);

/// <summary>One zone's delivery.</summary>
/// <param name="ZoneId">The zone.</param>
/// <param name="VolumeM3">Volume to be delivered to the fields, m³.</param>
/// <param name="FlowRateM3s">Field flow rate, m³/s.</param>
/// <param name="Efficiency">Conveyance efficiency applied.</param>
/// <param name="Start">Delivery start.</param>
/// <param name="End">Delivery end.</param>
public sealed record ZoneDelivery(string? ZoneId, double VolumeM3, double FlowRateM3s, double Efficiency, DateTimeOffset Start, DateTimeOffset End);

/// <summary>ROS's receipt of a delivery report.</summary>
/// <param name="ReportId">The report's id.</param>
/// <param name="OptimizationId">The optimization.</param>
/// <param name="ReceivedAt">When ROS stored it.</param>
/// <param name="TotalVolumeM3">Sum over the zones.</param>
/// <param name="Zones">The zones, as received.</param>
public sealed record DeliveryReceipt(string ReportId, string OptimizationId, DateTimeOffset ReceivedAt, double TotalVolumeM3, IReadOnlyList<ZoneDelivery> Zones);

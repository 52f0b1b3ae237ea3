using Switchboard.Client.Calls;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;

namespace Switchboard.Samples.Irrigation.Optimizer.Clients;

/// <summary>Seed 000's ROSClient over the Switchboard pipeline.</summary>
internal sealed class RosClient(IServiceClient client)
{
    /// <summary>Always asks ROS; when ROS fails, the last allocations it gave (up to a day old) are served, marked degraded.</summary>
    private static readonly CallOptions LastKnownGood = new()
    {
        Cache = new CacheOptions { ForceRefresh = true, StaleTtl = TimeSpan.FromDays(1) },
    };

    /// <summary>Reports carry the optimization id and ROS replaces a repeated report, so the POST is safe to retry.</summary>
    private static readonly CallOptions Retryable = new() { AllowRetry = true };

    /// <summary>Today's allocations per zone.</summary>
    public Task<ServiceResult<AllocationSet>> GetCurrentAllocationsAsync(CancellationToken cancellationToken) =>
        client.GetAsync<AllocationSet>(IrrigationServices.Ros, "api/v1/ros/allocations/current", LastKnownGood, cancellationToken);

    /// <summary>Reports what the optimization delivers (seed 000 <c>report_delivery_status</c>).</summary>
    public Task<ServiceResult<DeliveryReceipt>> ReportDeliveryAsync(DeliveryReport report, CancellationToken cancellationToken) =>
        client.PostAsync<DeliveryReceipt>(IrrigationServices.Ros, "api/v1/ros/delivery-reports", report, Retryable, cancellationToken);
}

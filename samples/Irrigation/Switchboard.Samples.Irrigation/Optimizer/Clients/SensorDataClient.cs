using Switchboard.Client.Calls;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;

namespace Switchboard.Samples.Irrigation.Optimizer.Clients;

/// <summary>Seed 000's SensorDataClient over the Switchboard pipeline. Real-time readings are never served from a cache.</summary>
internal sealed class SensorDataClient(IServiceClient client)
{
    /// <summary>Water levels of every reach.</summary>
    public Task<ServiceResult<WaterLevelReading[]>> GetWaterLevelsAsync(CancellationToken cancellationToken) =>
        client.GetAsync<WaterLevelReading[]>(IrrigationServices.SensorData, "api/v1/sensors/water-levels", null, cancellationToken);

    /// <summary>Flow rates of every metered reach.</summary>
    public Task<ServiceResult<FlowReading[]>> GetFlowRatesAsync(CancellationToken cancellationToken) =>
        client.GetAsync<FlowReading[]>(IrrigationServices.SensorData, "api/v1/sensors/flow-rates", null, cancellationToken);
}

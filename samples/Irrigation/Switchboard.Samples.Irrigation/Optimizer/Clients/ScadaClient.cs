using Switchboard.Client.Calls;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;

namespace Switchboard.Samples.Irrigation.Optimizer.Clients;

/// <summary>Seed 000's SCADAClient over the Switchboard pipeline. Gate commands set absolute openings, so they are safe to retry.</summary>
internal sealed class ScadaClient(IServiceClient client)
{
    private static readonly CallOptions Retryable = new() { AllowRetry = true };

    /// <summary>Every gate's opening (never cached: step 9 verifies against it).</summary>
    public Task<ServiceResult<GateStatusSet>> GetGateStatusAsync(CancellationToken cancellationToken) =>
        client.GetAsync<GateStatusSet>(IrrigationServices.Scada, "api/v1/scada/gates/status", null, cancellationToken);

    /// <summary>Moves several gates at once; each command is accepted or rejected on its own.</summary>
    public Task<ServiceResult<BatchControlResult>> BatchControlAsync(IReadOnlyList<GateCommand> commands, CancellationToken cancellationToken) =>
        client.PostAsync<BatchControlResult>(IrrigationServices.Scada, "api/v1/scada/gates/batch-control", new BatchControlRequest(commands), Retryable, cancellationToken);

    /// <summary>Closes every gate and latches the stop.</summary>
    public Task<ServiceResult<EmergencyStopState>> EmergencyStopAsync(string? reason, CancellationToken cancellationToken) =>
        client.PostAsync<EmergencyStopState>(IrrigationServices.Scada, "api/v1/scada/emergency-stop", new EmergencyStopRequest(reason), Retryable, cancellationToken);

    /// <summary>Releases the emergency stop latch.</summary>
    public Task<ServiceResult<EmergencyStopState>> ResetEmergencyStopAsync(CancellationToken cancellationToken) =>
        client.PostAsync<EmergencyStopState>(IrrigationServices.Scada, "api/v1/scada/emergency-stop/reset", null, Retryable, cancellationToken);
}

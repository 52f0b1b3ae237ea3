using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;

namespace Switchboard.Samples.Irrigation.Scada;

/// <summary>The SCADA service (seed 000 SCADAClient): gate status, gate control, batch control, emergency stop.</summary>
internal static class ScadaApi
{
    /// <summary>The service's profile.</summary>
    public static ServiceProfile Profile { get; } = new(
        IrrigationServices.Scada,
        3008,
        ["scada", "control", "gates"],
        new Dictionary<string, string> { ["automated_gates"] = "20", ["plc_link"] = "simulated" },
        services =>
        {
            services.AddSingleton<GateController>();
            services.AddHealthChecks().AddFunctionCheck("plc_link", _ => Task.FromResult(true));
        },
        endpoints => endpoints.MapScadaApi());

    public static IEndpointRouteBuilder MapScadaApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/scada");
        api.MapGet("/gates/status", (GateController gates) => TypedResults.Ok(gates.Snapshot()));
        api.MapGet("/gates/{gateId}/status", GetGate);
        api.MapPost("/gates/{gateId}/control", ControlGate);
        api.MapPost("/gates/batch-control", BatchControl);
        api.MapPost("/emergency-stop", (EmergencyStopRequest? request, GateController gates) => TypedResults.Ok(gates.EmergencyStop(request?.Reason)));
        api.MapPost("/emergency-stop/reset", (GateController gates) => TypedResults.Ok(gates.Reset()));
        return endpoints;
    }

    private static Results<Ok<GateStatus>, ProblemHttpResult> GetGate(string gateId, GateController gates) =>
        gates.Find(gateId) is { } gate ? TypedResults.Ok(gate) : UnknownGate(gateId);

    private static Results<Ok<GateCommandResult>, ValidationProblem, ProblemHttpResult> ControlGate(string gateId, GateControlRequest? request, GateController gates)
    {
        if (gates.Find(gateId) is null)
            return UnknownGate(gateId);
        if (request?.TargetOpening is not { } target)
            return ProblemResults.Invalid("target_opening", "target_opening is required: a number from 0 (closed) to 1 (fully open).");
        if (!double.IsFinite(target) || target is < 0 or > 1)
            return ProblemResults.Invalid("target_opening", GateController.OutOfRange(target));
        var result = gates.Command(gateId, target);
        return result.Status == GateCommandStatus.Accepted
            ? TypedResults.Ok(result)
            : ProblemResults.Problem(StatusCodes.Status409Conflict, "The gate command was refused.", result.Error!);
    }

    private static Results<Ok<BatchControlResult>, ValidationProblem, ProblemHttpResult> BatchControl(BatchControlRequest? request, GateController gates)
    {
        if (request?.Commands is not { Count: > 0 } commands)
            return ProblemResults.Invalid("commands", "commands must list at least one {gate_id, target_opening}.");
        if (gates.EmergencyStopActive)
            return ProblemResults.Problem(StatusCodes.Status409Conflict, "Emergency stop is active.", "Gate commands are refused until POST /api/v1/scada/emergency-stop/reset.");
        var results = commands.Select(c => gates.Command(c.GateId, c.TargetOpening)).ToArray();
        var accepted = results.Count(r => r.Status == GateCommandStatus.Accepted);
        return TypedResults.Ok(new BatchControlResult(accepted, results.Length - accepted, results));
    }

    private static ProblemHttpResult UnknownGate(string gateId) =>
        ProblemResults.Problem(StatusCodes.Status404NotFound, "Unknown gate.", $"Gate '{gateId}' does not exist; known gates are G-01 to G-20.");
}

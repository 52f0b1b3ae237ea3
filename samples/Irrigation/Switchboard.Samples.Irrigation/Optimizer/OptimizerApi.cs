using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Client.Calls;
using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Hosting;
using Switchboard.Samples.Irrigation.Optimizer.Clients;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>The Gravity Optimizer's integrated endpoints (seed 000).</summary>
internal static class OptimizerApi
{
    /// <summary>The route prefix.</summary>
    public const string Prefix = "/api/v1/gravity-optimizer/integrated";

    /// <summary>The service's profile: seed 000's registration (tags optimization, hydraulics, gravity; zones 6, automated gates 20).</summary>
    public static ServiceProfile Profile { get; } = new(
        IrrigationServices.GravityOptimizer,
        3020,
        ["optimization", "hydraulics", "gravity"],
        new Dictionary<string, string> { ["zones"] = "6", ["automated_gates"] = "20" },
        AddOptimizer,
        endpoints => endpoints.MapOptimizerApi(),
        HasFaultSwitch: false);

    public static IEndpointRouteBuilder MapOptimizerApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix);
        api.MapPost("/optimize/realtime", OptimizeAsync);
        api.MapGet("/health", (SystemInspector inspector, CancellationToken ct) => inspector.CheckHealthAsync(ct));
        api.MapGet("/status", (SystemInspector inspector, CancellationToken ct) => inspector.StatusAsync(ct));
        api.MapPost("/emergency/stop", EmergencyStopAsync);
        api.MapPost("/emergency/reset", EmergencyResetAsync);
        return endpoints;
    }

    private static void AddOptimizer(IServiceCollection services)
    {
        // The client propagates the incoming X-Request-ID on every call, read through the HTTP context.
        services.AddHttpContextAccessor();
        services.Configure<ServiceClientOptions>(o => o.JsonSerializerOptions = SampleJson.Options);
        services.AddSingleton<GisClient>();
        services.AddSingleton<RosClient>();
        services.AddSingleton<ScadaClient>();
        services.AddSingleton<WeatherClient>();
        services.AddSingleton<SensorDataClient>();
        services.AddSingleton<OptimizationFlow>();
        services.AddSingleton<OptimizerState>();
        services.AddSingleton<SystemInspector>();
        services.AddHealthChecks().AddCheck<EmergencyStopHealthCheck>("emergency_stop");
    }

    private static async Task<Results<Ok<OptimizationResult>, ValidationProblem, ProblemHttpResult>> OptimizeAsync(HttpContext http, OptimizationFlow flow, OptimizerState state)
    {
        OptimizationRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<OptimizationRequest>(http.Request.Body, SampleJson.Options, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            var (field, message) = RequestJsonErrors.Describe(ex);
            return ProblemResults.Invalid(field, message);
        }
        if (OptimizationRequestValidator.Validate(body, out var errors) is not { } request)
            return ProblemResults.Invalid(errors);
        if (state.Emergency is { Active: true } latch)
            return ProblemResults.Problem(StatusCodes.Status409Conflict, "Emergency stop is active.", $"Optimizations are refused since {latch.Since:O} ({latch.Reason}); POST {Prefix}/emergency/reset to resume.");

        var requestId = http.Request.Headers[SwitchboardHeaders.RequestId].ToString();
        await state.RunLock.WaitAsync(http.RequestAborted);
        try
        {
            // A started run is not cancelled by the caller going away: commands, verification and report stay consistent.
            // Every call in it is bounded by the pipeline's total timeout.
            var result = await flow.RunAsync(request, requestId, CancellationToken.None);
            state.Completed(result);
            return TypedResults.Ok(result);
        }
        finally
        {
            state.RunLock.Release();
        }
    }

    private static async Task<Results<Ok<EmergencyStopAnswer>, ProblemHttpResult>> EmergencyStopAsync(EmergencyStopRequest? request, OptimizerState state, ScadaClient scada)
    {
        var latch = state.Stop(request?.Reason);
        var result = await scada.EmergencyStopAsync(latch.Reason, CancellationToken.None);
        if (!result.Success)
        {
            return ProblemResults.Problem(StatusCodes.Status502BadGateway, "Emergency stop not confirmed by SCADA.",
                $"The optimizer refuses new optimizations, but SCADA did not confirm closing the gates ({result.Error}). Retry, or close the gates locally.");
        }
        return TypedResults.Ok(new EmergencyStopAnswer(latch, result.Value!));
    }

    private static async Task<Results<Ok<EmergencyStopAnswer>, ProblemHttpResult>> EmergencyResetAsync(OptimizerState state, ScadaClient scada)
    {
        var result = await scada.ResetEmergencyStopAsync(CancellationToken.None);
        if (!result.Success)
        {
            return ProblemResults.Problem(StatusCodes.Status502BadGateway, "Emergency stop not released by SCADA.",
                $"SCADA did not confirm the reset ({result.Error}); the optimizer keeps refusing optimizations.");
        }
        state.Reset();
        return TypedResults.Ok(new EmergencyStopAnswer(state.Emergency, result.Value!));
    }

    /// <summary>Degraded (429: the registry shows a warning, traffic continues) while the emergency stop is latched.</summary>
    private sealed class EmergencyStopHealthCheck(OptimizerState state) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(state.Emergency is { Active: true } latch
                ? HealthCheckResult.Degraded($"emergency stop active since {latch.Since:O}: {latch.Reason}")
                : HealthCheckResult.Healthy());
    }
}

/// <summary>The answer of the emergency stop and reset.</summary>
/// <param name="Optimizer">The optimizer's latch.</param>
/// <param name="Scada">SCADA's latch.</param>
public sealed record EmergencyStopAnswer(EmergencyLatch Optimizer, EmergencyStopState Scada);

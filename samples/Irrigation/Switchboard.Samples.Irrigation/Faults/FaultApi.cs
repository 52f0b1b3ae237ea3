using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Samples.Irrigation.Hosting;

namespace Switchboard.Samples.Irrigation.Faults;

/// <summary><c>GET /fault</c> and <c>POST /fault {"mode":"fail|slow|down|none","slow_delay_ms":5000}</c>.</summary>
internal static partial class FaultApi
{
    /// <summary>The route of the switch.</summary>
    public const string Path = "/fault";

    /// <summary>The switch's state on the wire.</summary>
    public sealed record FaultState(string Mode, double SlowDelayMs);

    /// <summary>The body of <c>POST /fault</c>.</summary>
    public sealed record FaultRequest(string? Mode, double? SlowDelayMs);

    public static IEndpointRouteBuilder MapFaultApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, Get);
        endpoints.MapPost(Path, Set);
        return endpoints;
    }

    private static Ok<FaultState> Get(FaultSwitch faults) => TypedResults.Ok(State(faults));

    private static Results<Ok<FaultState>, ValidationProblem> Set(FaultRequest? request, FaultSwitch faults, ILoggerFactory loggers)
    {
        if (request is null)
            return ProblemResults.Invalid("mode", "A JSON body {\"mode\":\"none|fail|slow|down\"} is required.");
        if (FaultSwitch.Parse(request.Mode) is not { } mode || request.Mode is null)
            return ProblemResults.Invalid("mode", $"mode must be none, fail, slow or down (got '{request.Mode}').");
        if (request.SlowDelayMs is < 0 or > 600_000)
            return ProblemResults.Invalid("slow_delay_ms", $"slow_delay_ms must be between 0 and 600000 (got {request.SlowDelayMs}).");
        faults.Set(mode, request.SlowDelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
        LogFaultSet(loggers.CreateLogger(typeof(FaultApi)), FaultSwitch.Name(mode));
        return TypedResults.Ok(State(faults));
    }

    private static FaultState State(FaultSwitch faults) => new(FaultSwitch.Name(faults.Mode), faults.SlowDelay.TotalMilliseconds);

    [LoggerMessage(1, LogLevel.Warning, "Fault switch set to {FaultMode}", EventName = "FaultSet")]
    private static partial void LogFaultSet(ILogger logger, string faultMode);
}

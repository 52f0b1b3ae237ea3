namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>The words of <see cref="StepOutcome"/>, <see cref="OptimizationResult"/> and <see cref="GateResult"/>.</summary>
internal static class StepNames
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    public const string Live = "live";
    public const string Cache = "cache";
    public const string StaleCache = "stale_cache";
    public const string Default = "default";
    public const string Request = "request";
    public const string Computed = "computed";
    public const string None = "none";

    public const string Optimized = "optimized";
    public const string Partial = "partial";

    /// <summary>Seed 000's ten steps, by number.</summary>
    public static IReadOnlyList<string> Steps { get; } =
    [
        "",
        "receive_request",
        "fetch_allocations",
        "check_weather",
        "read_sensors",
        "read_gate_positions",
        "load_topology",
        "optimize_hydraulics",
        "execute_gate_commands",
        "verify_gate_movements",
        "report_to_ros",
    ];
}

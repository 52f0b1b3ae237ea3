using Switchboard.Client.Calls;
using static Switchboard.Samples.Irrigation.Optimizer.StepNames;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>Collects the outcome of each step, and a warning for each that is not ok.</summary>
internal sealed class StepRecorder
{
    private readonly List<StepOutcome> _steps = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<StepOutcome> Steps => _steps;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Whether every step so far is ok.</summary>
    public bool AllOk => _steps.TrueForAll(s => s.Status == Ok);

    /// <summary>The status of step <paramref name="step"/>, or null when not recorded.</summary>
    public string? StatusOf(int step) => _steps.Find(s => s.Step == step)?.Status;

    /// <summary>Records a step that called no service.</summary>
    public void Record(int step, string status, string source, string detail) =>
        Add(new StepOutcome(step, StepNames.Steps[step], status, source, null, null, 0, 0, detail));

    /// <summary>Records a step from the results of its calls (the first names the service and instance).</summary>
    public void Record(int step, string status, string source, string detail, params CallInfo[] calls)
    {
        var first = calls[0];
        Add(new StepOutcome(
            step,
            StepNames.Steps[step],
            status,
            source,
            first.ServiceName,
            first.InstanceId,
            calls.Sum(c => c.Attempts),
            Math.Round(calls.Max(c => c.Duration.TotalMilliseconds), 1),
            WithPanic(detail, calls)));
    }

    /// <summary>Says when a call went to an instance its breaker had ejected because every instance was (panic mode).</summary>
    private static string WithPanic(string detail, CallInfo[] calls)
    {
        var panicked = calls.Where(c => c.Panic).Select(c => c.ServiceName).Distinct().ToList();
        return panicked.Count == 0 ? detail
            : $"{detail} Every instance of {string.Join(", ", panicked)} is ejected by its circuit breaker: tried anyway, once (panic mode).";
    }

    /// <summary>Adds a warning that is not a step's (a limit the plan hit).</summary>
    public void Warn(string warning) => _warnings.Add(warning);

    /// <summary>The source of a successful call: live, fresh cache, or stale cache served because the service failed.</summary>
    public static string SourceOf<T>(ServiceResult<T> result) => result switch
    {
        { Success: false } => None,
        { Degraded: true } => StaleCache,
        { FromCache: true } => Cache,
        _ => Live,
    };

    private void Add(StepOutcome outcome)
    {
        _steps.Add(outcome);
        if (outcome.Status != Ok)
            _warnings.Add($"step {outcome.Step} {outcome.Name} {outcome.Status}: {outcome.Detail}");
    }
}

/// <summary>What <see cref="StepRecorder"/> keeps of a service call's result, whatever its value type.</summary>
internal sealed record CallInfo(string ServiceName, string? InstanceId, int Attempts, TimeSpan Duration, bool Panic)
{
    public static CallInfo Of<T>(ServiceResult<T> result) => new(result.ServiceName, result.InstanceId, result.Attempts, result.Duration, result.Panic);
}

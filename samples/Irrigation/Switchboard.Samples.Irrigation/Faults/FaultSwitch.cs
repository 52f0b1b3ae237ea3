namespace Switchboard.Samples.Irrigation.Faults;

/// <summary>The backend's current fault, set at start from <c>Fault:Mode</c> and at run time through <c>POST /fault</c>.</summary>
internal sealed class FaultSwitch(IConfiguration configuration)
{
    /// <summary>The default delay of <see cref="FaultMode.Slow"/>.</summary>
    public static readonly TimeSpan DefaultSlowDelay = TimeSpan.FromSeconds(5);

    private volatile State _state = new(
        Parse(configuration["Fault:Mode"]) ?? FaultMode.None,
        configuration.GetValue("Fault:SlowDelay", DefaultSlowDelay));

    /// <summary>The fault now in effect.</summary>
    public FaultMode Mode => _state.Mode;

    /// <summary>How long <see cref="FaultMode.Slow"/> holds each answer.</summary>
    public TimeSpan SlowDelay => _state.SlowDelay;

    /// <summary>Switches to <paramref name="mode"/>, keeping the slow delay unless <paramref name="slowDelay"/> is given.</summary>
    public void Set(FaultMode mode, TimeSpan? slowDelay) => _state = new(mode, slowDelay ?? _state.SlowDelay);

    /// <summary>Reads a mode name (<c>none</c>, <c>fail</c>, <c>slow</c>, <c>down</c>; case-insensitive).</summary>
    /// <returns>The mode, or null when the name is none of them.</returns>
    public static FaultMode? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => FaultMode.None,
        "fail" => FaultMode.Fail,
        "slow" => FaultMode.Slow,
        "down" => FaultMode.Down,
        _ => null,
    };

    /// <summary>The wire name of <paramref name="mode"/>.</summary>
    public static string Name(FaultMode mode) => mode.ToString().ToLowerInvariant();

    private sealed record State(FaultMode Mode, TimeSpan SlowDelay);
}

using Switchboard.Client.Resilience;

namespace Switchboard.Client.Diagnostics;

/// <summary>The one spelling of a breaker state in telemetry (span attributes and metric labels): <c>closed</c>, <c>open</c>, <c>half_open</c>, <c>none</c>.</summary>
internal static class CircuitStateLabels
{
    public static string Of(CircuitState? state) => state switch
    {
        null => "none",
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        _ => "half_open",
    };
}

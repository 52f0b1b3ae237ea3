namespace Switchboard.Client.Resilience;

/// <summary>The state of one instance's circuit breaker.</summary>
public enum CircuitState
{
    /// <summary>Calls pass; consecutive failures are counted.</summary>
    Closed = 0,

    /// <summary>The instance is ejected: calls are not sent to it until the break ends.</summary>
    Open = 1,

    /// <summary>The break ended: probe calls go through one at a time; enough successes close the circuit, a failure opens it again.</summary>
    HalfOpen = 2,
}

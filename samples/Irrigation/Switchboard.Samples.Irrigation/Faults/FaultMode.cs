namespace Switchboard.Samples.Irrigation.Faults;

/// <summary>The fault a backend simulates, to show how the optimizer degrades.</summary>
internal enum FaultMode
{
    /// <summary>Normal operation.</summary>
    None,

    /// <summary>API routes answer 500 while <c>/health</c> stays healthy (a bug the registry cannot see): the caller's circuit breakers must catch it.</summary>
    Fail,

    /// <summary>API routes answer after <c>Fault:SlowDelay</c> (5 s by default): the caller's timeouts must catch it.</summary>
    Slow,

    /// <summary>Every route but <c>/fault</c> drops the connection, as if the process were gone: the registry's health check turns the instance critical.</summary>
    Down,
}

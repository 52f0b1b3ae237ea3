namespace Switchboard.Client.Resilience;

/// <summary>Inspects the per-instance circuit breakers (seed 003 <c>get_circuit_state</c>).</summary>
public interface ICircuitBreakerMonitor
{
    /// <summary>Raised on every state change of any breaker.</summary>
    event EventHandler<CircuitBreakerSnapshot>? StateChanged;

    /// <summary>The breakers of the instances of <paramref name="serviceName"/> that have been called.</summary>
    /// <param name="serviceName">The service.</param>
    /// <returns>One snapshot per instance.</returns>
    IReadOnlyList<CircuitBreakerSnapshot> GetStates(string serviceName);
}

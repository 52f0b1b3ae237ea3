namespace Switchboard.Client.Resilience;

/// <summary>One instance's breaker as seen at one moment (seed 003 <c>get_circuit_state</c>).</summary>
/// <param name="ServiceName">The service.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="State">The state.</param>
/// <param name="ConsecutiveFailures">Failures counted since the last success (closed state).</param>
/// <param name="ConsecutiveSuccesses">Successes counted in half-open state.</param>
/// <param name="OpenUntil">When an open breaker lets a probe through.</param>
public sealed record CircuitBreakerSnapshot(string ServiceName, string InstanceId, CircuitState State, int ConsecutiveFailures, int ConsecutiveSuccesses, DateTimeOffset? OpenUntil);

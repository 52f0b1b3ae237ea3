using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.Endpoints;

namespace Switchboard.Client.Resilience;

/// <summary>Creates the breaker of each instance (kept on the endpoint), logs and counts transitions, and answers <see cref="ICircuitBreakerMonitor"/>.</summary>
internal sealed partial class CircuitBreakerRegistry(TimeProvider time, ClientInstruments instruments, ILogger<CircuitBreakerRegistry> logger) : ICircuitBreakerMonitor
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, InstanceCircuitBreaker>> _byService = new(StringComparer.Ordinal);

    public event EventHandler<CircuitBreakerSnapshot>? StateChanged;

    public InstanceCircuitBreaker Get(InstanceEndpoint endpoint, string service, EffectiveServiceOptions options) =>
        endpoint.GetBreaker(static (e, s) =>
        {
            var breaker = new InstanceCircuitBreaker(e, s.service, s.options, s.self.TimeProvider, s.self.OnTransition);
            s.self._byService.GetOrAdd(s.service, _ => new(StringComparer.Ordinal))[e.InstanceId] = breaker;
            return breaker;
        }, (self: this, service, options));

    public IReadOnlyList<CircuitBreakerSnapshot> GetStates(string serviceName) =>
        _byService.TryGetValue(serviceName, out var breakers) ? [.. breakers.Values.Select(b => b.Snapshot()).OrderBy(s => s.InstanceId, StringComparer.Ordinal)] : [];

    private TimeProvider TimeProvider => time;

    private void OnTransition(InstanceCircuitBreaker breaker, CircuitState from, CircuitState to)
    {
        instruments.BreakerTransition(breaker.ServiceName, breaker.Endpoint.InstanceId, Diagnostics.CircuitStateLabels.Of(to));
        if (to == CircuitState.Open)
            LogOpened(logger, breaker.ServiceName, breaker.Endpoint.InstanceId, from);
        else
            LogTransition(logger, breaker.ServiceName, breaker.Endpoint.InstanceId, from, to);
        StateChanged?.Invoke(this, breaker.Snapshot());
    }

    [LoggerMessage(1500, LogLevel.Warning, "Circuit of {Service} instance {InstanceId} opened (was {From}): the instance is ejected.", EventName = "CircuitOpened")]
    private static partial void LogOpened(ILogger logger, string service, string instanceId, CircuitState from);

    [LoggerMessage(1501, LogLevel.Information, "Circuit of {Service} instance {InstanceId}: {From} -> {To}.", EventName = "CircuitTransition")]
    private static partial void LogTransition(ILogger logger, string service, string instanceId, CircuitState from, CircuitState to);
}

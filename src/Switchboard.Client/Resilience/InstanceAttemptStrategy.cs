using System.Runtime.CompilerServices;
using Polly;
using Switchboard.Client.Discovery;

namespace Switchboard.Client.Resilience;

/// <summary>
/// The Polly strategy around each attempt, inside the retry: picks the attempt's instance through the load-balancing
/// policy (so every retry picks again and avoids the instances already tried), applies that instance's circuit
/// breaker (an open breaker rejects the attempt at once with <see cref="CircuitOpenException"/> and the retry moves on
/// to another instance), counts the attempt in flight, and records its outcome in the breaker.
/// </summary>
/// <param name="breakers">The breakers, or null when the service's breakers are off.</param>
internal sealed class InstanceAttemptStrategy(CircuitBreakerRegistry? breakers) : ResilienceStrategy<HttpResponseMessage>
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var call = context.Properties.GetValue(CallState.Key, null!);
        var endpoint = call.PickNext();
        if (endpoint is null)
            return Outcome.FromException<HttpResponseMessage>(ServiceUnavailableException.NoHealthyInstance(call.Service, call.Discovery));

        var breaker = breakers?.Get(endpoint, call.Service, call.Options);
        if (breaker is not null && !breaker.TryAcquire(call.Panic, out var retryAfter))
        {
            return Outcome.FromException<HttpResponseMessage>(new CircuitOpenException(
                $"The circuit of instance '{endpoint.InstanceId}' of service '{call.Service}' is open for {retryAfter}.")
            {
                ServiceName = call.Service,
                InstanceId = endpoint.InstanceId,
                RetryAfter = retryAfter,
            });
        }

        using var inFlight = endpoint.BeginRequest();
        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        breaker?.Record(outcome, context.CancellationToken);
        return outcome;
    }
}

using System.Runtime.CompilerServices;
using Polly;

namespace Switchboard.Client.Resilience;

/// <summary>
/// A Polly strategy applying the per-instance breaker of the instance <see cref="InstancePickStrategy"/> chose:
/// an open breaker rejects the attempt at once with <see cref="CircuitOpenException"/> (the retry then picks
/// another instance); the attempt's outcome is recorded in the breaker.
/// </summary>
internal sealed class InstanceCircuitBreakerStrategy(CircuitBreakerRegistry breakers) : ResilienceStrategy<HttpResponseMessage>
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var call = context.Properties.GetValue(CallState.Key, null!);
        var endpoint = call.Endpoint!;
        var breaker = breakers.Get(endpoint, call.Service, call.Options);
        if (!breaker.TryAcquire(call.Panic, out var retryAfter))
        {
            return Outcome.FromException<HttpResponseMessage>(new CircuitOpenException(
                $"The circuit of instance '{endpoint.InstanceId}' of service '{call.Service}' is open for {retryAfter}.")
            {
                ServiceName = call.Service,
                InstanceId = endpoint.InstanceId,
                RetryAfter = retryAfter,
            });
        }

        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            breaker.OnIgnored();
        else if (FailureClassifier.IsInstanceFailure(outcome))
            breaker.OnFailure();
        else
            breaker.OnSuccess();
        return outcome;
    }
}

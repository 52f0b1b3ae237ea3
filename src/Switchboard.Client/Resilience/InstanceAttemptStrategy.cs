using System.Runtime.CompilerServices;
using Polly;
using Switchboard.Client.Discovery;

namespace Switchboard.Client.Resilience;

/// <summary>
/// The Polly strategy around each attempt, inside the retry, in this order: picks the attempt's instance through the
/// load-balancing policy (so every retry picks again and avoids the instances already tried); applies that
/// instance's circuit breaker (an open breaker rejects the attempt at once with <see cref="CircuitOpenException"/>
/// and the retry moves on to another instance); bounds the attempt by the attempt timeout (a
/// <see cref="CallDeadline"/> linked to the call's token, handed to the attempt as <see cref="CallState.AttemptToken"/>
/// because Polly lets only its own strategies replace a context's token; a timeout becomes a
/// <see cref="Polly.Timeout.TimeoutRejectedException"/> as with Polly's timeout strategy); counts the attempt in
/// flight; records its outcome in the breaker. One strategy rather than three: every Polly stage costs a suspension
/// and a resumption per call (docs/benchmarks.md).
/// </summary>
/// <param name="breakers">The breakers, or null when the service's breakers are off.</param>
/// <param name="attemptTimeout">The bound on one attempt.</param>
/// <param name="time">The clock of the attempt timeout.</param>
internal sealed class InstanceAttemptStrategy(CircuitBreakerRegistry? breakers, TimeSpan attemptTimeout, TimeProvider time) : ResilienceStrategy<HttpResponseMessage>
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
        var deadline = CallDeadline.Start(attemptTimeout, time, context.CancellationToken);
        call.AttemptToken = deadline.Token;
        var outcome = default(Outcome<HttpResponseMessage>);
        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        finally
        {
            // Also when the callback throws: the deadline goes back to the scheduler either way.
            call.AttemptToken = context.CancellationToken;
            outcome = deadline.End(outcome);
        }
        breaker?.Record(outcome, context.CancellationToken);
        return outcome;
    }
}

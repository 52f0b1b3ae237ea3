using System.Runtime.CompilerServices;
using Polly;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.Discovery;

namespace Switchboard.Client.Resilience;

/// <summary>
/// The Polly strategy that makes each attempt, inside the retry, in this order: picks the attempt's instance through
/// the load-balancing policy (so every retry picks again and avoids the instances already tried); applies that
/// instance's circuit breaker (an open breaker rejects the attempt at once with <see cref="CircuitOpenException"/>
/// and the retry moves on to another instance); bounds the attempt by the attempt timeout (a
/// <see cref="CallDeadline"/> linked to the call's token, handed to the attempt as <see cref="CallState.AttemptToken"/>
/// because Polly lets only its own strategies replace a context's token; a timeout becomes a
/// <see cref="Polly.Timeout.TimeoutRejectedException"/> as with Polly's timeout strategy); counts the attempt in
/// flight; records its outcome in the breaker. One strategy rather than three: every Polly stage costs a suspension
/// and a resumption per call (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// The client makes a call's first attempt through <see cref="AttemptAsync"/> directly and enters the retry pipeline
/// only when that attempt failed in a way worth retrying; the retry then sees the first attempt's outcome, replayed
/// by this strategy from <see cref="CallState.TakeFirstOutcome"/>, as its own first attempt.
/// </remarks>
/// <param name="breakers">The breakers, or null when the service's breakers are off.</param>
/// <param name="attemptTimeout">The bound on one attempt.</param>
/// <param name="time">The clock of the attempt timeout.</param>
/// <param name="instruments">Where panic picks are counted.</param>
internal sealed class InstanceAttemptStrategy(CircuitBreakerRegistry? breakers, TimeSpan attemptTimeout, TimeProvider time, ClientInstruments instruments) : ResilienceStrategy<HttpResponseMessage>
{
    protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var call = context.Properties.GetValue(CallState.Key, null!);
        return call.TakeFirstOutcome() is { } first
            ? new(first)
            : AttemptAsync(call, context.CancellationToken, static s => s.callback(s.context, s.state), (callback, context, state), context.ContinueOnCapturedContext);
    }

    /// <summary>
    /// One attempt of <paramref name="call"/>: picks the instance, applies its breaker and the attempt timeout (linked to
    /// <paramref name="callToken"/>), sends through <paramref name="send"/> and records the outcome in the breaker.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync<TState>(
        CallState call,
        CancellationToken callToken,
        Func<TState, ValueTask<Outcome<HttpResponseMessage>>> send,
        TState state,
        bool continueOnCapturedContext = false)
    {
        var endpoint = call.PickNext();
        if (endpoint is null)
            return Outcome.FromException<HttpResponseMessage>(ServiceUnavailableException.NoHealthyInstance(call.Service, call.Discovery));
        if (call.Panic)
            instruments.Panic(call.Service);

        var breaker = breakers?.Get(endpoint, call.Service, call.Options);
        var span = AttemptSpan.Start(call, endpoint, breaker?.State);
        if (breaker is not null && !breaker.TryAcquire(call.Panic, out var retryAfter))
        {
            var rejected = Outcome.FromException<HttpResponseMessage>(new CircuitOpenException(
                $"The circuit of instance '{endpoint.InstanceId}' of service '{call.Service}' is open for {retryAfter}.")
            {
                ServiceName = call.Service,
                InstanceId = endpoint.InstanceId,
                RetryAfter = retryAfter,
            });
            AttemptSpan.End(span, rejected);
            return rejected;
        }

        using var inFlight = endpoint.BeginRequest();
        var deadline = CallDeadline.Start(attemptTimeout, time, callToken);
        call.AttemptToken = deadline.Token;
        var outcome = default(Outcome<HttpResponseMessage>);
        try
        {
            outcome = await send(state).ConfigureAwait(continueOnCapturedContext);
        }
        catch (Exception ex)
        {
            // As Polly does around every callback: a request that cannot even be built is the attempt's outcome, not the caller's exception.
            outcome = Outcome.FromException<HttpResponseMessage>(ex);
        }
        finally
        {
            outcome = deadline.End(outcome);
        }
        breaker?.Record(outcome, callToken);
        AttemptSpan.End(span, outcome);
        return outcome;
    }
}

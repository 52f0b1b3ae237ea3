using System.Runtime.CompilerServices;
using Polly;
using Polly.Timeout;

namespace Switchboard.Client.Resilience;

/// <summary>
/// The innermost Polly strategy: bounds one attempt by the attempt timeout. Its token (cancelled by the attempt
/// timeout, or with the call's token: total timeout or caller) reaches the attempt through
/// <see cref="CallState.AttemptToken"/>, because Polly lets only its own strategies replace a context's token; a
/// timeout becomes a <see cref="TimeoutRejectedException"/> as with Polly's timeout strategy. Not Polly's own
/// strategy because that one allocates its state machine and sets a runtime timer per call, whose timer-queue lock (one
/// queue per processor, shared by every timer on it) was the most contended point of the pipeline under concurrency (see <see cref="CallDeadline"/>).
/// </summary>
/// <param name="timeout">The attempt timeout.</param>
/// <param name="time">The clock.</param>
internal sealed class AttemptTimeoutStrategy(TimeSpan timeout, TimeProvider time) : ResilienceStrategy<HttpResponseMessage>
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var call = context.Properties.GetValue(CallState.Key, null!);
        var deadline = CallDeadline.Start(timeout, time, context.CancellationToken);
        call.AttemptToken = deadline.Token;
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        finally
        {
            call.AttemptToken = context.CancellationToken;
        }
        return deadline.End(outcome);
    }
}

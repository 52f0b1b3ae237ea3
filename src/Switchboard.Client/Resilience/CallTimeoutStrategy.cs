using System.Runtime.CompilerServices;
using Microsoft.Extensions.ObjectPool;
using Polly;
using Polly.Timeout;

namespace Switchboard.Client.Resilience;

/// <summary>
/// A Polly timeout strategy for the total and the attempt timeout: cancels the context's token after
/// <paramref name="timeout"/> and turns the cancellation it caused into a <see cref="TimeoutRejectedException"/>, as
/// Polly's own timeout strategy does. Written because, on the call path, Polly's strategy allocates its async state
/// machine on every call that goes asynchronous and drops most of its token sources once more than a few calls are in
/// flight; this one pools both (measured in docs/benchmarks.md, "Per-call overhead of the full pipeline").
/// </summary>
/// <param name="timeout">How long the inner strategies may run.</param>
/// <param name="time">The clock; token sources are pooled only on the system clock (a test clock gets a new one each time).</param>
internal sealed class CallTimeoutStrategy(TimeSpan timeout, TimeProvider time) : ResilienceStrategy<HttpResponseMessage>
{
    private static readonly ObjectPool<CancellationTokenSource> Sources =
        new DefaultObjectPool<CancellationTokenSource>(new TokenSourcePolicy(), maximumRetained: 1024);

    /// <summary>How long the inner strategies may run.</summary>
    public TimeSpan Timeout => timeout;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var previous = context.CancellationToken;
        var pooled = time == TimeProvider.System;
        var source = pooled ? Sources.Get() : new CancellationTokenSource(timeout, time);
        if (pooled)
            source.CancelAfter(timeout);
        var link = previous.CanBeCanceled
            ? previous.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source)
            : default;

        // Polly lets only its own strategies replace a context's token, so the inner strategies run in a child context
        // that carries this deadline's token and the call's state (the only property the pipeline uses).
        var inner = ResilienceContextPool.Shared.Get(context.OperationKey, context.ContinueOnCapturedContext, source.Token);
        if (context.Properties.TryGetValue(CallState.Key, out var call))
            inner.Properties.Set(CallState.Key, call);
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await callback(inner, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        finally
        {
            link.Dispose();
            ResilienceContextPool.Shared.Return(inner);
        }

        var timedOut = source.IsCancellationRequested && !previous.IsCancellationRequested;
        if (pooled)
            Sources.Return(source);
        else
            source.Dispose();
        if (timedOut && outcome.Exception is OperationCanceledException canceled)
            return Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{timeout}'.", timeout, canceled));
        return outcome;
    }

    /// <summary>Keeps a token source only when it can be reset (never cancelled); a cancelled one is dropped.</summary>
    private sealed class TokenSourcePolicy : PooledObjectPolicy<CancellationTokenSource>
    {
        public override CancellationTokenSource Create() => new();

        public override bool Return(CancellationTokenSource obj)
        {
            if (obj.TryReset())
                return true;
            obj.Dispose();
            return false;
        }
    }
}

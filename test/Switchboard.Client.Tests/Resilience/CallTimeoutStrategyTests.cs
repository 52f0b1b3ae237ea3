using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;
using Switchboard.Client.Discovery;
using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Resilience;

namespace Switchboard.Client.Tests.Resilience;

public sealed class CallTimeoutStrategyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ResiliencePipeline<HttpResponseMessage> Pipeline(TimeProvider time) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddStrategy(_ => new CallTimeoutStrategy(Timeout, time), new TimeoutOptions())
            .Build();

    private static async ValueTask<Outcome<HttpResponseMessage>> WaitForCancellation(ResilienceContext context, TaskCompletionSource<CancellationToken> seen)
    {
        seen.TrySetResult(context.CancellationToken);
        try
        {
            await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, context.CancellationToken);
            return Outcome.FromResult(new HttpResponseMessage());
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<HttpResponseMessage>(ex);
        }
    }

    [Fact]
    public async Task Execute_DeadlinePasses_InnerTokenCancelledAndTimeoutRejected()
    {
        var time = new FakeTimeProvider();
        var seen = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Pipeline(time).ExecuteOutcomeAsync((ctx, s) => WaitForCancellation(ctx, s), ResilienceContextPool.Shared.Get(Ct), seen).AsTask();
        var inner = await seen.Task;

        time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(inner.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var outcome = await running;
        var rejected = Assert.IsType<TimeoutRejectedException>(outcome.Exception);
        Assert.Equal(Timeout, rejected.Timeout);
        Assert.IsType<TaskCanceledException>(rejected.InnerException);
    }

    [Fact]
    public async Task Execute_CallerCancels_CancellationPassesThroughNotTimeout()
    {
        using var caller = new CancellationTokenSource();
        var seen = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = ResilienceContextPool.Shared.Get(caller.Token);
        var running = Pipeline(TimeProvider.System).ExecuteOutcomeAsync((ctx, s) => WaitForCancellation(ctx, s), context, seen).AsTask();
        var inner = await seen.Task;
        Assert.NotEqual(caller.Token, inner);

        await caller.CancelAsync();

        var outcome = await running;
        Assert.IsNotType<TimeoutRejectedException>(outcome.Exception);
        Assert.IsAssignableFrom<OperationCanceledException>(outcome.Exception);
        Assert.True(inner.IsCancellationRequested);
    }

    [Fact]
    public async Task Execute_ManyCallsOnTheSystemClock_EachGetsAFreshUncancelledTokenAndTheCallState()
    {
        var pipeline = Pipeline(TimeProvider.System);
        var discovery = new DiscoveryResult("user-service", DiscoverySource.Static, [], 0, DateTimeOffset.UnixEpoch, new LoadBalancingState(), []);
        var call = new CallState("user-service", discovery, null, new RoundRobinPolicy(), new SwitchboardOptions().ForService("user-service"), true, 0);
        for (var i = 0; i < 50; i++)
        {
            // Every other call is cancelled by its caller: a cancelled token source must never be handed out again.
            using var caller = new CancellationTokenSource();
            var context = ResilienceContextPool.Shared.Get(caller.Token);
            context.Properties.Set(CallState.Key, call);
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static (ctx, state) =>
                {
                    Assert.False(ctx.CancellationToken.IsCancellationRequested);
                    Assert.True(ctx.CancellationToken.CanBeCanceled);
                    Assert.Same(state.call, ctx.Properties.GetValue(CallState.Key, null!));
                    if (state.i % 2 == 1)
                        state.caller.Cancel();
                    return Outcome.FromResultAsValueTask(new HttpResponseMessage());
                },
                context,
                (call, caller, i));
            Assert.NotNull(outcome.Result);
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private sealed class TimeoutOptions : ResilienceStrategyOptions;
}

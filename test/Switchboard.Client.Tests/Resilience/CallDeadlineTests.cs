using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;
using Switchboard.Client.Resilience;

namespace Switchboard.Client.Tests.Resilience;

public sealed class CallDeadlineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static Outcome<HttpResponseMessage> Cancelled(CancellationToken token) =>
        Outcome.FromException<HttpResponseMessage>(new OperationCanceledException(token));

    [Fact]
    public void End_TimeoutPassed_CancellationBecomesTimeoutRejected()
    {
        var time = new FakeTimeProvider();
        var deadline = CallDeadline.Start(Timeout, time, CancellationToken.None);
        time.Advance(Timeout - TimeSpan.FromTicks(1));
        Assert.False(deadline.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(deadline.Token.IsCancellationRequested);

        var outcome = deadline.End(Cancelled(deadline.Token));

        var rejected = Assert.IsType<TimeoutRejectedException>(outcome.Exception);
        Assert.Equal(Timeout, rejected.Timeout);
        Assert.IsType<OperationCanceledException>(rejected.InnerException);
    }

    [Fact]
    public void End_OuterTokenCancelled_CancellationStaysACancellation()
    {
        using var caller = new CancellationTokenSource();
        var deadline = CallDeadline.Start(Timeout, new FakeTimeProvider(), caller.Token);
        caller.Cancel();
        Assert.True(deadline.Token.IsCancellationRequested);

        var outcome = deadline.End(Cancelled(deadline.Token));

        Assert.IsType<OperationCanceledException>(outcome.Exception);
    }

    [Fact]
    public void End_AnswerArrivedAsTheTimeoutPassed_TheAnswerIsKept()
    {
        var time = new FakeTimeProvider();
        var deadline = CallDeadline.Start(Timeout, time, CancellationToken.None);
        time.Advance(Timeout);
        using var response = new HttpResponseMessage();

        var outcome = deadline.End(Outcome.FromResult(response));

        Assert.Same(response, outcome.Result);
    }

    [Fact]
    public void StartAndEnd_OnTheSystemClock_UsesTheSharedSchedulerAndGivesTheDeadlineBack()
    {
        using var caller = new CancellationTokenSource();
        CancellationToken? first = null;
        for (var i = 0; i < 100; i++)
        {
            var deadline = CallDeadline.Start(Timeout, TimeProvider.System, caller.Token);
            Assert.False(deadline.Token.IsCancellationRequested);
            // Calls one after another on one thread reuse the deadline (and token source) the previous one gave back.
            first ??= deadline.Token;
            Assert.Equal(first, deadline.Token);
            using var response = new HttpResponseMessage();
            Assert.Same(response, deadline.End(Outcome.FromResult(response)).Result);
        }
    }
}

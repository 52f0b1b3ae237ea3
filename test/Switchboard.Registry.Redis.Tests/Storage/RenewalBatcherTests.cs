using StackExchange.Redis;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>
/// The batcher's order of work, with calls the test answers itself: the next batch leaves before the answered batch's callers
/// resume, a failed call fails only its own renewals, and the loop never stalls. (Redis' own answers: <see cref="RenewalBatchTests"/>.)
/// </summary>
public sealed class RenewalBatcherTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Calls the batcher makes, each answered when the test says.</summary>
    private sealed class Calls
    {
        private readonly Lock _gate = new();

        private readonly List<(IReadOnlyList<LeaseRenewal> Renewals, TaskCompletionSource<RedisResult> Reply)> _made = [];

        public Func<IReadOnlyList<LeaseRenewal>, Exception?>? ThrowOn { get; set; }

        public int Count
        {
            get
            {
                lock (_gate)
                    return _made.Count;
            }
        }

        public Task<RedisResult> Send(IReadOnlyList<LeaseRenewal> renewals)
        {
            if (ThrowOn?.Invoke(renewals) is { } thrown)
                throw thrown;
            var reply = new TaskCompletionSource<RedisResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
                _made.Add((renewals, reply));
            return reply.Task;
        }

        public (IReadOnlyList<LeaseRenewal> Renewals, TaskCompletionSource<RedisResult> Reply) this[int index]
        {
            get
            {
                lock (_gate)
                    return _made[index];
            }
        }
    }

    private static LeaseRenewal Renewal(string id) => new(id, DateTimeOffset.UnixEpoch.AddHours(1), []);

    private static RedisResult Answers(params string[] each) => RedisResult.Create([.. each.Select(a => RedisResult.Create((RedisValue)a))]);

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (!condition())
            await Task.Delay(5, timeout.Token);
    }

    [Fact]
    public async Task RenewalsQueuedDuringACall_LeaveTogether_BeforeTheAnsweredCallersResume()
    {
        var calls = new Calls();
        var batcher = new RenewalBatcher(calls.Send, maxBatch: 256, maxCalls: 1);
        var first = batcher.RenewAsync(Renewal("a"));
        Assert.Equal(1, calls.Count);

        var queued = new[] { batcher.RenewAsync(Renewal("b")), batcher.RenewAsync(Renewal("c")) };
        Assert.Equal(1, calls.Count); // one call out at most: these wait for it

        var callsWhenFirstResumed = -1;
        var resumed = first.ContinueWith(_ => callsWhenFirstResumed = calls.Count, TaskContinuationOptions.ExecuteSynchronously);
        calls[0].Reply.SetResult(Answers("1"));
        await resumed.WaitAsync(Wait, TestContext.Current.CancellationToken);

        Assert.True(await first);
        Assert.Equal(2, callsWhenFirstResumed); // "b" and "c" were on their way to Redis before "a"'s caller went on
        Assert.Equal(["b", "c"], calls[1].Renewals.Select(r => r.InstanceId));
        calls[1].Reply.SetResult(Answers("0", "1"));
        var answers = await Task.WhenAll(queued).WaitAsync(Wait, TestContext.Current.CancellationToken);
        Assert.Equal([false, true], answers);
        Assert.Equal(2, batcher.Calls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFailedCall_FailsOnlyItsOwnRenewals_AndTheNextBatchStillLeaves(bool connectionLost)
    {
        var calls = new Calls();
        var batcher = new RenewalBatcher(calls.Send, maxBatch: 256, maxCalls: 1);
        var first = batcher.RenewAsync(Renewal("a"));
        var second = batcher.RenewAsync(Renewal("b"));

        if (connectionLost)
        {
            var lost = new RedisConnectionException(ConnectionFailureType.SocketClosed, CommandFlags.None, "gone", null, CommandStatus.Sent);
            calls[0].Reply.SetException(lost);
            Assert.Same(lost, await Assert.ThrowsAsync<RedisConnectionException>(() => first.WaitAsync(Wait, TestContext.Current.CancellationToken)));
        }
        else
        {
            calls[0].Reply.SetResult(RedisResult.Create((RedisResult[])null!)); // a null array, not one answer per renewal
            var failed = await Assert.ThrowsAsync<RedisServerException>(() => first.WaitAsync(Wait, TestContext.Current.CancellationToken));
            Assert.Contains("answered nothing", failed.Message, StringComparison.Ordinal);
        }

        await UntilAsync(() => calls.Count == 2); // the loop carries on with the renewal queued behind the failed call
        calls[1].Reply.SetResult(Answers("1"));
        Assert.True(await second.WaitAsync(Wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ACallThatThrowsAtOnce_FailsItsRenewals_AndDoesNotHoldItsPlace()
    {
        var calls = new Calls { ThrowOn = r => r.Any(x => x.InstanceId == "bad") ? new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "refused", null, CommandStatus.WaitingToBeSent) : null };
        var batcher = new RenewalBatcher(calls.Send, maxBatch: 256, maxCalls: 1);

        await Assert.ThrowsAsync<RedisConnectionException>(() => batcher.RenewAsync(Renewal("bad")).WaitAsync(Wait, TestContext.Current.CancellationToken));

        var next = batcher.RenewAsync(Renewal("good")); // the one call allowed out was given back
        await UntilAsync(() => calls.Count == 1);
        calls[0].Reply.SetResult(Answers("1"));
        Assert.True(await next.WaitAsync(Wait, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ABatchNeverCarriesMoreThanTheLimit()
    {
        var calls = new Calls();
        var batcher = new RenewalBatcher(calls.Send, maxBatch: 2, maxCalls: 1);
        var all = Enumerable.Range(0, 5).Select(i => batcher.RenewAsync(Renewal($"i-{i}"))).ToArray();

        for (var call = 0; call < 3; call++)
        {
            await UntilAsync(() => calls.Count > call);
            calls[call].Reply.SetResult(Answers([.. calls[call].Renewals.Select(_ => "1")]));
        }

        Assert.All(await Task.WhenAll(all).WaitAsync(Wait, TestContext.Current.CancellationToken), Assert.True);
        Assert.Equal([1, 2, 2], Enumerable.Range(0, 3).Select(i => calls[i].Renewals.Count));
    }
}

using Microsoft.Extensions.Time.Testing;
using Switchboard.Client.Resilience;

namespace Switchboard.Client.Tests.Resilience;

public sealed class DeadlineSchedulerTests
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void Arm_DeadlinePasses_TokenCancelledAtTheTickThatReachesIt()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DeadlineScheduler(time, Resolution);
        var token = scheduler.Arm(TimeSpan.FromMilliseconds(100)).Source.Token;

        time.Advance(TimeSpan.FromMilliseconds(90));
        Assert.False(token.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public void Arm_DeadlineBetweenTicks_FiresAtTheNextTickNotLaterThanOneResolution()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DeadlineScheduler(time, Resolution);
        var token = scheduler.Arm(TimeSpan.FromMilliseconds(95)).Source.Token;

        time.Advance(TimeSpan.FromMilliseconds(94));
        Assert.False(token.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(token.IsCancellationRequested); // due, but the next check is the tick at 100 ms
        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public void Arm_TimeoutTooLongForTheClock_NeverFiresInsteadOfFiringAtOnce()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DeadlineScheduler(time, Resolution);
        var token = scheduler.Arm(TimeSpan.MaxValue).Source.Token;

        time.Advance(TimeSpan.FromDays(1));
        Assert.False(token.IsCancellationRequested);
    }

    [Fact]
    public void Release_BeforeTheDeadline_NeverCancelledAndReused()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DeadlineScheduler(time, Resolution);
        var first = scheduler.Arm(TimeSpan.FromMilliseconds(50));
        var token = first.Source.Token;
        scheduler.Release(first);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(token.IsCancellationRequested);
        var second = scheduler.Arm(TimeSpan.FromMilliseconds(50));
        Assert.Same(first, second);
        Assert.False(second.Source.IsCancellationRequested);
        Assert.Equal(1, scheduler.Count);
    }

    [Fact]
    public void Release_AfterItFired_NextArmGetsAFreshSource()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DeadlineScheduler(time, Resolution);
        var deadline = scheduler.Arm(TimeSpan.FromMilliseconds(10));
        var fired = deadline.Source;
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(fired.IsCancellationRequested);
        scheduler.Release(deadline);

        var again = scheduler.Arm(TimeSpan.FromMilliseconds(10));
        Assert.NotSame(fired, again.Source);
        Assert.False(again.Source.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(again.Source.IsCancellationRequested);
    }

    [Fact]
    public void Release_WithARegistrationLeftOnTheToken_TheNextUseDoesNotRunIt()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DeadlineScheduler(time, Resolution);
        var deadline = scheduler.Arm(TimeSpan.FromMilliseconds(10));
        var leftOverRan = false;
        deadline.Source.Token.Register(() => leftOverRan = true);
        scheduler.Release(deadline);

        var reused = scheduler.Arm(TimeSpan.FromMilliseconds(10));
        Assert.Same(deadline, reused);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(reused.Source.IsCancellationRequested);
        Assert.False(leftOverRan);
    }

    [Fact]
    public void Arm_AfterTheTimerStoppedForWantOfDeadlines_StartsItAgain()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DeadlineScheduler(time, Resolution);
        scheduler.Release(scheduler.Arm(TimeSpan.FromMilliseconds(30)));
        time.Advance(TimeSpan.FromMilliseconds(50));

        var token = scheduler.Arm(TimeSpan.FromMilliseconds(30)).Source.Token;
        time.Advance(TimeSpan.FromMilliseconds(30));
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public void Tick_ManyDeadlines_EachFiresAtItsOwnTime()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DeadlineScheduler(time, Resolution);
        var tokens = Enumerable.Range(1, 20).Select(i => scheduler.Arm(TimeSpan.FromMilliseconds(i * 10)).Source.Token).ToArray();

        for (var i = 0; i < tokens.Length; i++)
        {
            time.Advance(Resolution);
            Assert.Equal(i + 1, tokens.Count(t => t.IsCancellationRequested));
        }
    }

    [Fact]
    public async Task ArmAndRelease_ConcurrentlyOnTheSystemClock_NoTokenCancelledAndDeadlinesReused()
    {
        using var scheduler = new DeadlineScheduler(TimeProvider.System, Resolution);
        const int Workers = 8;
        var cancelledAtArm = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                var deadline = scheduler.Arm(TimeSpan.FromMinutes(5));
                if (deadline.Source.IsCancellationRequested)
                    Interlocked.Increment(ref cancelledAtArm);
                if (i % 100 == 0)
                    await Task.Yield();
                scheduler.Release(deadline);
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(0, cancelledAtArm);
        // At most one per worker in use at a time, plus those parked in the threads' small local caches.
        Assert.InRange(scheduler.Count, 1, Workers + (Environment.ProcessorCount * 16));
    }
}

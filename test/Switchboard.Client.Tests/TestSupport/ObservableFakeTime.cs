using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Switchboard.Client.Tests.TestSupport;

/// <summary>A FakeTimeProvider that reports each timer created, so a test can wait for code to reach a delay and then advance exactly past it.</summary>
internal sealed class ObservableFakeTime : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public ObservableFakeTime()
        : base(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
            _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (in real time, at most 10 s) until some code creates a timer, and returns its due time.</summary>
    public async Task<TimeSpan> NextTimerAsync() => await _timers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Waits (real time, at most 10 s) for a timer whose due time matches, skipping others.</summary>
    public async Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool> match)
    {
        while (true)
        {
            var due = await NextTimerAsync();
            if (match(due))
                return due;
        }
    }

    /// <summary>Waits for the next timer and advances the clock to its due time.</summary>
    public async Task<TimeSpan> AdvanceToNextTimerAsync()
    {
        var due = await NextTimerAsync();
        Advance(due);
        return due;
    }
}

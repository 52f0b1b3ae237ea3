using Microsoft.Extensions.Time.Testing;

namespace Switchboard.Server.Tests.Consul;

/// <summary>Fake time that also tells when a timer is created, so a test knows a blocking query is waiting and for how long.</summary>
internal sealed class TimerWatchingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
{
    private readonly Lock _gate = new();
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Found)> _watchers = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers.Where(w => w.Match(dueTime)).ToList())
            {
                _watchers.Remove(watcher);
                watcher.Found.TrySetResult(dueTime);
            }
        }
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Completes with the due time of the next timer created with a due time in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public Task<TimeSpan> NextTimerAsync(TimeSpan min, TimeSpan max)
    {
        var found = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
            _watchers.Add((d => d >= min && d <= max, found));
        return found.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}

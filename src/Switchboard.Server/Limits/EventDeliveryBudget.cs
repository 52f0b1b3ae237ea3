namespace Switchboard.Server.Limits;

/// <summary>
/// The bytes per second all event streams together may send (<see cref="LimitsOptions.EventStreamBytesPerSecond"/>): a
/// token bucket, in bytes, that every stream takes from before it flushes, first come first served.
/// </summary>
/// <remarks>
/// <para>Delivering every event to thousands of subscribers costs a copy and a send per subscriber per event; unbounded, it takes
/// the cores from the writes that make the events. With the budget, delivery costs at most a bounded share of the machine
/// whatever the number of subscribers: past it subscribers fall behind, and one more than its backlog behind is cut off
/// (told to read the current state and subscribe again) instead of slowing the writes.</para>
/// <para>The bucket saves up to a quarter of a second's budget while the streams are quiet (it starts with one refill), so
/// one change fanned out to the many subscribers of its service goes out at once: 10,000 subscribers of ~500-byte events
/// take 5 MB, which one refill of the default budget (1.6 MiB) would spread over three refills, 100 ms for the last
/// subscriber. A sustained stream of events still gets no more than the rate.</para>
/// <para>A small bucket of its own rather than <c>System.Threading.RateLimiting</c>'s token bucket, which keeps its own
/// clock: this one is refilled by a timer of the injected <see cref="TimeProvider"/>, so tests run it on fake time. Nor
/// <see cref="TimedTokenBucket"/> (the write limits'), which refuses at once: a stream waits for its turn here, in order,
/// instead of thousands of them polling for tokens.</para>
/// </remarks>
internal sealed class EventDeliveryBudget : IDisposable
{
    /// <summary>How often the bucket is refilled; each refill adds a twentieth of a second's budget.</summary>
    private static readonly TimeSpan RefillPeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>The most bytes one stream writes between two flushes, so one subscriber's turn stays short and its buffer small.</summary>
    private const int MaxBatch = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<(int Bytes, TaskCompletionSource Granted)> _waiting = new();
    private readonly int _perRefill;
    private readonly long _capacity;
    private readonly ITimer? _refill;
    private long _available;

    /// <summary>A budget of <paramref name="bytesPerSecond"/> (0: unlimited), refilled on <paramref name="timeProvider"/>'s clock.</summary>
    public EventDeliveryBudget(int bytesPerSecond, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerSecond);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (bytesPerSecond == 0)
        {
            MaxBatchBytes = MaxBatch;
            return;
        }
        _perRefill = Math.Max(1, (int)(bytesPerSecond * RefillPeriod.TotalSeconds));
        _capacity = Math.Max(_perRefill, bytesPerSecond / 4);
        _available = _perRefill;
        MaxBatchBytes = Math.Min(MaxBatch, _perRefill);
        _refill = timeProvider.CreateTimer(static budget => ((EventDeliveryBudget)budget!).Refill(), this, RefillPeriod, RefillPeriod);
    }

    /// <summary>The most bytes a stream should gather before it asks for them.</summary>
    public int MaxBatchBytes { get; }

    /// <summary>Waits until <paramref name="bytes"/> may be sent, after every stream that asked before (a batch larger than <see cref="MaxBatchBytes"/> pays that much).</summary>
    public Task TakeAsync(int bytes, CancellationToken cancellationToken)
    {
        if (_refill is null || bytes <= 0)
            return Task.CompletedTask;
        bytes = Math.Min(bytes, MaxBatchBytes);
        lock (_gate)
        {
            if (_waiting.Count == 0 && _available >= bytes)
            {
                _available -= bytes;
                return Task.CompletedTask;
            }
            var granted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (cancellationToken.CanBeCanceled)
                cancellationToken.UnsafeRegister(static (waiter, token) => ((TaskCompletionSource)waiter!).TrySetCanceled(token), granted);
            _waiting.Enqueue((bytes, granted));
            return granted.Task;
        }
    }

    private void Refill()
    {
        List<TaskCompletionSource>? granted = null;
        lock (_gate)
        {
            _available = Math.Min(_capacity, _available + _perRefill);
            while (_waiting.TryPeek(out var head))
            {
                if (head.Granted.Task.IsCanceled)
                {
                    _waiting.Dequeue(); // gave up waiting: costs nothing
                    continue;
                }
                if (_available < head.Bytes)
                    break;
                _waiting.Dequeue();
                _available -= head.Bytes;
                (granted ??= []).Add(head.Granted);
            }
        }
        foreach (var waiter in granted ?? [])
            waiter.TrySetResult();
    }

    /// <inheritdoc />
    public void Dispose() => _refill?.Dispose();
}

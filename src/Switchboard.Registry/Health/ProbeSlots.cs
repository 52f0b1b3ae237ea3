namespace Switchboard.Registry.Health;

/// <summary>
/// The probe concurrency limit: at most <see cref="Limit"/> probes hold a slot at once, and probes of checks not known
/// to answer (never probed yet, or whose last probe hung until its timeout) at most <see cref="SlowLimit"/>, so a quarter
/// of the slots always stays free for checks that answer. When no slot can be had, probes wait in two lanes, each
/// served in turns by target (<see cref="ProbeLane"/>), and a freed slot goes to the prompt lane first. So when the limit
/// is reached, hanging targets queue behind each other rather than in front of the checks that answer.
/// </summary>
internal sealed class ProbeSlots
{
    private readonly Lock _gate = new();
    private readonly ProbeLane _prompt = new();
    private readonly ProbeLane _slow = new();
    private int _inUse;
    private int _slowInUse;

    /// <summary>Creates the limit.</summary>
    public ProbeSlots(int limit)
    {
        Limit = limit;
        SlowLimit = Math.Max(1, limit - limit / 4);
    }

    /// <summary>The most probes holding a slot at once.</summary>
    public int Limit { get; }

    /// <summary>The most probes of checks not known to answer holding a slot at once (three quarters of <see cref="Limit"/>).</summary>
    public int SlowLimit { get; }

    /// <summary>How many slots are taken.</summary>
    public int InUse
    {
        get
        {
            lock (_gate)
                return _inUse;
        }
    }

    /// <summary>How many probes wait for a slot (cancelled waits included until a release skips them).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _prompt.Count + _slow.Count;
        }
    }

    /// <summary>
    /// Takes a slot for a probe of <paramref name="target"/>; <paramref name="slow"/> when the check is not known to answer.
    /// Completes synchronously when a slot is free; pass the same <paramref name="slow"/> to <see cref="Release"/>.
    /// </summary>
    public Task WaitAsync(string target, bool slow, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (CanTake(slow))
            {
                Take(slow);
                return Task.CompletedTask;
            }
            // Continuations run inline on the releasing probe's thread (no thread-pool hop), which keeps fake-time tests
            // deterministic; the resumed probe returns at its first real I/O, so the chain is one probe deep.
            waiter = new TaskCompletionSource();
            (slow ? _slow : _prompt).Enqueue(target, waiter);
        }
        return WaitQueuedAsync(waiter, cancellationToken);
    }

    private static async Task WaitQueuedAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static w => ((TaskCompletionSource)w!).TrySetCanceled(), waiter))
            await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>Frees a slot taken with <paramref name="slow"/> and hands free slots to waiting probes, prompt ones first.</summary>
    public void Release(bool slow)
    {
        lock (_gate)
            Free(slow);
        while (true)
        {
            TaskCompletionSource? next;
            bool nextSlow;
            lock (_gate)
            {
                if (CanTake(slow: false) && _prompt.TryDequeue(out next))
                    nextSlow = false;
                else if (CanTake(slow: true) && _slow.TryDequeue(out next))
                    nextSlow = true;
                else
                    return;
                Take(nextSlow);
            }
            if (!next.TrySetResult())
            {
                lock (_gate)
                    Free(nextSlow); // it was cancelled meanwhile: the slot goes to the next one
            }
        }
    }

    private bool CanTake(bool slow) => _inUse < Limit && (!slow || _slowInUse < SlowLimit);

    private void Take(bool slow)
    {
        _inUse++;
        if (slow)
            _slowInUse++;
    }

    private void Free(bool slow)
    {
        _inUse--;
        if (slow)
            _slowInUse--;
    }
}

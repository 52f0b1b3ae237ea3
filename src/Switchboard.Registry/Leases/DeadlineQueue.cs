using Switchboard.Registry.Catalog;

namespace Switchboard.Registry.Leases;

/// <summary>
/// Deadlines ordered by time. Renewals do not touch the queue: an entry whose instance has since moved its
/// deadline is re-queued when popped. A sweep therefore costs O(entries due), never O(all instances).
/// </summary>
internal sealed class DeadlineQueue
{
    private readonly PriorityQueue<(InstanceState State, CheckRuntime? Check, DeadlineKind Kind), long> _queue = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
                return _queue.Count;
        }
    }

    public void Add(InstanceState state, DeadlineKind kind, long deadline)
    {
        lock (_gate)
            _queue.Enqueue((state, null, kind), deadline);
    }

    public void Add(CheckRuntime check, DeadlineKind kind, long deadline)
    {
        lock (_gate)
            _queue.Enqueue((check.Owner, check, kind), deadline);
    }

    /// <summary>Adds many deadlines at once (the load: one array for every part, a heap build instead of an insertion each).</summary>
    public void AddRange(IReadOnlyList<IReadOnlyCollection<((InstanceState State, CheckRuntime? Check, DeadlineKind Kind) Entry, long Deadline)>> deadlines)
    {
        lock (_gate)
        {
            _queue.EnsureCapacity(_queue.Count + deadlines.Sum(part => part.Count)); // one array for all, not one per part
            _queue.EnqueueRange(deadlines.SelectMany(part => part)); // into an empty queue (the load): filled, then one heap build
        }
    }

    /// <summary>Removes and returns every entry whose deadline is at or before <paramref name="now"/>.</summary>
    public List<(InstanceState State, CheckRuntime? Check, DeadlineKind Kind)> PopDue(long now)
    {
        var due = new List<(InstanceState, CheckRuntime?, DeadlineKind)>();
        lock (_gate)
        {
            while (_queue.TryPeek(out var entry, out var deadline) && deadline <= now)
            {
                _queue.Dequeue();
                due.Add((entry.State, entry.Check, entry.Kind));
            }
        }
        return due;
    }
}

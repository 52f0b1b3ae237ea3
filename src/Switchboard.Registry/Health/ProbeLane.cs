using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Registry.Health;

/// <summary>
/// Probes waiting for a slot, taken in turns by target (host:port): a freed slot goes to the next target in the rotation,
/// first come first served within a target, so one target with thousands of instances cannot queue in front of the others.
/// Not thread-safe: <see cref="ProbeSlots"/> uses it under its lock.
/// </summary>
internal sealed class ProbeLane
{
    private readonly Dictionary<string, Queue<TaskCompletionSource>> _byTarget = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();

    /// <summary>How many probes wait in this lane.</summary>
    public int Count { get; private set; }

    public void Enqueue(string target, TaskCompletionSource waiter)
    {
        if (!_byTarget.TryGetValue(target, out var waiting))
        {
            _byTarget[target] = waiting = new Queue<TaskCompletionSource>();
            _turns.Enqueue(target);
        }
        waiting.Enqueue(waiter);
        Count++;
    }

    public bool TryDequeue([NotNullWhen(true)] out TaskCompletionSource? waiter)
    {
        if (!_turns.TryDequeue(out var target))
        {
            waiter = null;
            return false;
        }
        var waiting = _byTarget[target];
        waiter = waiting.Dequeue();
        Count--;
        if (waiting.Count > 0)
            _turns.Enqueue(target); // its next probe waits for the other targets' turns
        else
            _byTarget.Remove(target);
        return true;
    }
}

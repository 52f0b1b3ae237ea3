namespace Switchboard.Registry.Catalog;

/// <summary>The catalog-wide change signal: the index of the last published change and a task that completes at the next one.</summary>
/// <remarks>
/// Fired by <see cref="ServiceEntry.Publish"/> after a service's new view is visible, so a reader woken by it (or reading
/// <see cref="Index"/> first) never pairs an index with data older than that index.
/// </remarks>
internal sealed class CatalogChangeSignal
{
    private TaskCompletionSource _changed = NewSignal();
    private long _index;

    /// <summary>The catalog index of the last change whose views are published.</summary>
    public long Index => Volatile.Read(ref _index);

    /// <summary>A task that completes at the next published change.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Records that every change up to <paramref name="index"/> is visible, and wakes the waiters.</summary>
    public void Publish(long index)
    {
        var current = Volatile.Read(ref _index);
        while (index > current)
        {
            var seen = Interlocked.CompareExchange(ref _index, index, current);
            if (seen == current)
                break;
            current = seen;
        }
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

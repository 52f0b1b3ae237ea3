namespace Switchboard.Registry.Catalog;

/// <summary>One service's instances and its change signal. Mutated only under the catalog's write lock.</summary>
internal sealed class ServiceEntry
{
    private readonly CatalogChangeSignal _catalogChanged;
    private TaskCompletionSource _changed = NewSignal();
    private int _roundRobin;

    /// <param name="name">The service's name.</param>
    /// <param name="catalogChanged">The catalog-wide change signal.</param>
    /// <param name="capacity">How many instances to make room for (a load knows).</param>
    public ServiceEntry(string name, CatalogChangeSignal catalogChanged, int capacity = 0)
    {
        Name = name;
        Instances = new(capacity, StringComparer.Ordinal);
        _catalogChanged = catalogChanged;
        View = new ServiceView(name, [], 0, Outputs);
    }

    public string Name { get; }

    public Dictionary<string, InstanceState> Instances { get; }

    /// <summary>Counts output-only changes of the service's checks (<see cref="ServiceView.OutputVersion"/>).</summary>
    public OutputClock Outputs { get; } = new();

    /// <summary>What readers see; replaced after every change.</summary>
    public volatile ServiceView View;

    /// <summary>A task that completes at the service's next change.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>The next round-robin position.</summary>
    public int NextRoundRobin() => Interlocked.Increment(ref _roundRobin) & int.MaxValue;

    /// <summary>Publishes a new view of the durable instances and wakes everyone waiting for a change of this service or of the catalog.</summary>
    public void Publish(long index)
    {
        PublishLoaded(index);
        _catalogChanged.Publish(index);
    }

    /// <summary>
    /// Publishes a new view and wakes the service's waiters, leaving the catalog-wide signal to the caller: the load
    /// publishes every service (in parallel), then the catalog once.
    /// </summary>
    public void PublishLoaded(long index)
    {
        var instances = new Switchboard.Instances.ServiceInstance[Instances.Count];
        var i = 0;
        foreach (var state in Instances.Values)
        {
            if (state.Committed is { } committed && committed.ServiceName == Name)
                instances[i++] = committed; // readers see only what the store made durable
        }
        if (i < instances.Length)
            Array.Resize(ref instances, i);
        Array.Sort(instances, static (a, b) => string.CompareOrdinal(a.InstanceId, b.InstanceId));
        View = new ServiceView(Name, instances, Math.Max(index, View.Index), Outputs); // a service's index never goes back
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

namespace Switchboard.Registry.Catalog;

/// <summary>One service's instances and its change signal. Mutated only under the catalog's write lock.</summary>
internal sealed class ServiceEntry(string name)
{
    private TaskCompletionSource _changed = NewSignal();
    private int _roundRobin;

    public string Name { get; } = name;

    public Dictionary<string, InstanceState> Instances { get; } = new(StringComparer.Ordinal);

    /// <summary>What readers see; replaced after every change.</summary>
    public volatile ServiceView View = new(name, [], 0);

    /// <summary>A task that completes at the service's next change.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>The next round-robin position.</summary>
    public int NextRoundRobin() => Interlocked.Increment(ref _roundRobin) & int.MaxValue;

    /// <summary>Publishes a new view and wakes everyone waiting for a change.</summary>
    public void Publish(long index)
    {
        var instances = new Switchboard.Instances.ServiceInstance[Instances.Count];
        var i = 0;
        foreach (var state in Instances.Values)
            instances[i++] = state.Instance;
        Array.Sort(instances, static (a, b) => string.CompareOrdinal(a.InstanceId, b.InstanceId));
        View = new ServiceView(Name, instances, index);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

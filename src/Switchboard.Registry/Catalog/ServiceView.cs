using System.Collections.Concurrent;
using System.Text.Json;
using Switchboard.Instances;
using Switchboard.Json;

namespace Switchboard.Registry.Catalog;

/// <summary>An immutable picture of one service at one index, shared by every reader until the next change.</summary>
internal sealed class ServiceView
{
    /// <summary>How many distinct filtered answers (tag, version, metadata) one view keeps; further filters are serialized per request.</summary>
    public const int MaxFilteredAnswers = 32;

    private readonly OutputClock _outputs;
    private byte[]? _allJson;
    private byte[]? _healthyJson;
    private ConcurrentDictionary<InstanceFilter, byte[]>? _filteredJson;
    private object? _derived;

    internal ServiceView(string serviceName, ServiceInstance[] instances, long index, OutputClock outputs)
    {
        ServiceName = serviceName;
        _outputs = outputs;
        Instances = instances;
        Index = index;
        var healthy = 0;
        foreach (var i in instances)
        {
            if (i.Status.IsHealthy())
                healthy++;
        }
        HealthyCount = healthy;
    }

    /// <summary>The service's name.</summary>
    public string ServiceName { get; }

    /// <summary>The instances, sorted by id.</summary>
    public IReadOnlyList<ServiceInstance> Instances { get; }

    /// <summary>The catalog index of the service's last change.</summary>
    public long Index { get; }

    /// <summary>How many instances are healthy.</summary>
    public int HealthyCount { get; }

    /// <summary>
    /// Counts changes of the latest outputs of the service's checks, which bump no index and publish no view: an answer
    /// cached on this view that shows outputs is current while this count is the one read before it was built.
    /// </summary>
    public long OutputVersion => _outputs.Value;

    /// <summary>
    /// The object a layer above the engine (the Consul API) caches its answers of this view in: created by
    /// <paramref name="create"/> at the first call, the same afterwards, dropped with the view at the service's next change.
    /// </summary>
    /// <remarks>One slot per view: a call asking for another type than the one stored gets a new, uncached object.</remarks>
    public T Derived<T>(Func<ServiceView, T> create) where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        if (Volatile.Read(ref _derived) is T existing)
            return existing;
        var created = create(this);
        return Interlocked.CompareExchange(ref _derived, created, null) switch
        {
            null => created,
            T raced => raced,
            _ => created,
        };
    }

    /// <summary>The instances passing <paramref name="filter"/>.</summary>
    public IReadOnlyList<ServiceInstance> Filter(InstanceFilter filter)
    {
        if (filter.IsCacheable && (!filter.Healthy || HealthyCount == Instances.Count))
            return Instances;
        var result = new List<ServiceInstance>(Instances.Count);
        foreach (var instance in Instances)
        {
            if (filter.Matches(instance))
                result.Add(instance);
        }
        return result;
    }

    /// <summary>The JSON array of the instances passing <paramref name="filter"/>, serialized once per view and filter.</summary>
    /// <remarks>
    /// Many watchers of one service with the same filter all wake on a change: they share one serialization. The first
    /// <see cref="MaxFilteredAnswers"/> distinct filtered answers asked of a view are kept with it (filters compared by what
    /// they select, so a lookup allocates nothing); later ones are serialized per request until the next view.
    /// </remarks>
    public byte[] ToJson(InstanceFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!filter.IsCacheable)
        {
            var cache = LazyInitializer.EnsureInitialized(ref _filteredJson, static () => new ConcurrentDictionary<InstanceFilter, byte[]>(InstanceFilterComparer.Instance));
            if (cache.TryGetValue(filter, out var cached))
                return cached;
            var bytes = Serialize(Filter(filter));
            if (cache.Count < MaxFilteredAnswers)
                return cache.GetOrAdd(filter, bytes);
            return bytes;
        }
        if (filter.Healthy)
            return _healthyJson ??= Serialize(Filter(filter));
        return _allJson ??= Serialize(Instances);
    }

    private static byte[] Serialize(IReadOnlyList<ServiceInstance> instances)
        => JsonSerializer.SerializeToUtf8Bytes(instances, SwitchboardJsonContext.Default.IReadOnlyListServiceInstance);
}

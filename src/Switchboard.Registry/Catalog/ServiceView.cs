using System.Text.Json;
using Switchboard.Instances;
using Switchboard.Json;

namespace Switchboard.Registry.Catalog;

/// <summary>An immutable picture of one service at one index, shared by every reader until the next change.</summary>
internal sealed class ServiceView
{
    private const int MaxFilteredEntries = 32;
    private byte[]? _allJson;
    private byte[]? _healthyJson;
    private System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>? _filteredJson;

    internal ServiceView(string serviceName, ServiceInstance[] instances, long index)
    {
        ServiceName = serviceName;
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
    /// <remarks>Many watchers of one service with the same filter all wake on a change: they share one serialization. At most 32 distinct filtered answers are kept per view.</remarks>
    public byte[] ToJson(InstanceFilter filter)
    {
        if (!filter.IsCacheable)
        {
            var cache = _filteredJson ??= new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
            if (cache.TryGetValue(filter.Key, out var cached))
                return cached;
            var bytes = Serialize(Filter(filter));
            if (cache.Count < MaxFilteredEntries)
                cache.TryAdd(filter.Key, bytes);
            return bytes;
        }
        if (filter.Healthy)
            return _healthyJson ??= Serialize(Filter(filter));
        return _allJson ??= Serialize(Instances);
    }

    private static byte[] Serialize(IReadOnlyList<ServiceInstance> instances)
        => JsonSerializer.SerializeToUtf8Bytes(instances, SwitchboardJsonContext.Default.IReadOnlyListServiceInstance);
}

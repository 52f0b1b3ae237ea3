using Switchboard.Instances;

namespace Switchboard.Registry.Catalog;

/// <summary>Which instances of a service a query wants. Every condition must hold.</summary>
internal sealed record InstanceFilter
{
    /// <summary>No filtering.</summary>
    public static readonly InstanceFilter All = new();

    /// <summary>Only instances that receive traffic (passing or warning).</summary>
    public static readonly InstanceFilter HealthyOnly = new() { Healthy = true };

    /// <summary>Only healthy instances when true.</summary>
    public bool Healthy { get; init; }

    /// <summary>Tags the instance must all carry.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The version the instance must have, when given.</summary>
    public string? Version { get; init; }

    /// <summary>Metadata entries the instance must all have.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = ServiceInstance.EmptyMetadata;

    /// <summary>Whether the filter is <see cref="All"/> or <see cref="HealthyOnly"/>.</summary>
    public bool IsCacheable => Tags.Count == 0 && Version is null && Metadata.Count == 0;

    /// <summary>Whether <paramref name="instance"/> passes the filter.</summary>
    public bool Matches(ServiceInstance instance)
    {
        if (Healthy && !instance.Status.IsHealthy())
            return false;
        if (Version is not null && !string.Equals(instance.Version, Version, StringComparison.Ordinal))
            return false;
        foreach (var tag in Tags)
        {
            if (!ContainsTag(instance.Tags, tag))
                return false;
        }
        foreach (var (key, value) in Metadata)
        {
            if (!instance.Metadata.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    private static bool ContainsTag(IReadOnlyList<string> sortedTags, string tag)
    {
        // Tags are kept sorted by the validator: binary search without allocating.
        int lo = 0, hi = sortedTags.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = string.CompareOrdinal(sortedTags[mid], tag);
            if (cmp == 0)
                return true;
            if (cmp < 0)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return false;
    }
}

using Switchboard.Client.Endpoints;
using Switchboard.Instances;

namespace Switchboard.Client.Discovery;

/// <summary>Filters the instances of a service; every condition that is set must hold.</summary>
public sealed record InstanceQuery
{
    /// <summary>Healthy instances only (the default), all instances when false.</summary>
    public static readonly InstanceQuery Healthy = new();

    /// <summary>Every instance, whatever its status.</summary>
    public static readonly InstanceQuery All = new() { HealthyOnly = false };

    /// <summary>Only instances whose status receives traffic (passing or warning).</summary>
    /// <value>The default value is true.</value>
    public bool HealthyOnly { get; init; } = true;

    /// <summary>Only instances carrying every one of these tags.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Only instances of this version.</summary>
    /// <value>The default value is null (any version).</value>
    public string? Version { get; init; }

    /// <summary>Only instances whose metadata has every one of these key/value pairs.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = ServiceInstance.EmptyMetadata;

    /// <summary>Whether <paramref name="endpoint"/> passes the filter.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>True when every condition holds.</returns>
    public bool Matches(InstanceEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var instance = endpoint.Instance;
        if (HealthyOnly && !instance.Status.IsHealthy())
            return false;
        if (Version is { Length: > 0 } && !string.Equals(instance.Version, Version, StringComparison.Ordinal))
            return false;
        foreach (var tag in Tags)
        {
            if (!instance.Tags.Contains(tag, StringComparer.Ordinal))
                return false;
        }
        foreach (var (key, value) in Metadata)
        {
            if (!instance.Metadata.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                return false;
        }
        return true;
    }
}

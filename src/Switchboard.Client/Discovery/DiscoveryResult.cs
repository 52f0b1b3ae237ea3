using System.Collections.Immutable;
using Switchboard.Client.Endpoints;
using Switchboard.Client.LoadBalancing;
using Switchboard.Instances;

namespace Switchboard.Client.Discovery;

/// <summary>What discovery knows about one service at one moment: an immutable snapshot of the endpoint cache.</summary>
public sealed class DiscoveryResult
{
    internal DiscoveryResult(
        string serviceName,
        DiscoverySource source,
        ImmutableArray<InstanceEndpoint> endpoints,
        long index,
        DateTimeOffset updatedAt,
        LoadBalancingState loadBalancing,
        IReadOnlyList<string> sourcesTried)
    {
        ServiceName = serviceName;
        Source = source;
        Endpoints = endpoints;
        HealthyEndpoints = [.. endpoints.Where(e => e.Instance.Status.IsHealthy())];
        Index = index;
        UpdatedAt = updatedAt;
        LoadBalancing = loadBalancing;
        SourcesTried = sourcesTried;
    }

    /// <summary>The service's name.</summary>
    public string ServiceName { get; }

    /// <summary>Where the endpoints came from.</summary>
    public DiscoverySource Source { get; }

    /// <summary>Every known instance, whatever its status.</summary>
    public ImmutableArray<InstanceEndpoint> Endpoints { get; }

    /// <summary>The instances that receive traffic (passing or warning): what load balancing picks from.</summary>
    public ImmutableArray<InstanceEndpoint> HealthyEndpoints { get; }

    /// <summary>The registry's index of the service when the snapshot was taken; 0 for static and DNS results.</summary>
    public long Index { get; }

    /// <summary>When the source last confirmed these endpoints.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>True when the registry is unreachable and this is the last answer it gave (served stale from the cache).</summary>
    public bool IsStale { get; private init; }

    /// <summary>Since when the snapshot is stale.</summary>
    public DateTimeOffset? StaleSince { get; private init; }

    /// <summary>Why the snapshot is stale (the registry's last failure).</summary>
    public string? StaleReason { get; private init; }

    /// <summary>The sources consulted to build this snapshot, with what each said, in order.</summary>
    public IReadOnlyList<string> SourcesTried { get; }

    /// <summary>The per-service load-balancing state, kept across snapshots.</summary>
    public LoadBalancingState LoadBalancing { get; }

    /// <summary>The instances matching <paramref name="query"/>.</summary>
    /// <param name="query">The filter.</param>
    /// <returns>The matching endpoints, in catalog order.</returns>
    public IReadOnlyList<InstanceEndpoint> Select(InstanceQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (ReferenceEquals(query, InstanceQuery.Healthy))
            return HealthyEndpoints;
        return [.. Endpoints.Where(query.Matches)];
    }

    internal DiscoveryResult AsStale(DateTimeOffset since, string reason) =>
        IsStale ? this : new DiscoveryResult(ServiceName, Source, Endpoints, Index, UpdatedAt, LoadBalancing, SourcesTried)
        {
            IsStale = true,
            StaleSince = since,
            StaleReason = reason,
        };
}

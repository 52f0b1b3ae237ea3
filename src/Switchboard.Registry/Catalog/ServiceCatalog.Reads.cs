using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Api;
using Switchboard.Instances;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    private ServiceList? _serviceListCache;
    private ServiceCounts? _serviceCounts;

    /// <summary>The current view of a service, or null when the catalog never had it.</summary>
    internal ServiceView? GetService(string serviceName)
        => _services.TryGetValue(serviceName, out var entry) ? entry.View : null;

    /// <summary>Whether the service has at least one instance.</summary>
    public bool HasService(string serviceName) => GetService(serviceName) is { Instances.Count: > 0 };

    /// <summary>One healthy instance of the service, round-robin; null when it has none. <paramref name="known"/> tells whether the service has any instance.</summary>
    public ServiceInstance? PickRoundRobin(string serviceName, out bool known)
    {
        known = false;
        if (!_services.TryGetValue(serviceName, out var entry))
            return null;
        var view = entry.View;
        var instances = view.Instances;
        known = instances.Count > 0;
        if (view.HealthyCount == 0)
            return null;
        var start = entry.NextRoundRobin();
        for (var i = 0; i < instances.Count; i++)
        {
            var candidate = instances[(start + i) % instances.Count];
            if (candidate.Status.IsHealthy())
                return candidate;
        }
        return null;
    }

    /// <summary>An instance by id, with what the engine knows beyond its registration; null when unknown.</summary>
    internal InstanceRuntime? GetInstance(string instanceId)
    {
        if (!_byId.TryGetValue(instanceId, out var state) || state.Committed is not { } committed)
            return null;
        var lease = Volatile.Read(ref state.LeaseDeadline);
        var heartbeat = Volatile.Read(ref state.LastHeartbeat);
        return new InstanceRuntime(committed,
            heartbeat > 0 ? new DateTimeOffset(heartbeat, TimeSpan.Zero) : null,
            lease > 0 ? new DateTimeOffset(lease, TimeSpan.Zero) : null,
            state.LatestAnyOutput);
    }

    /// <summary>
    /// <see cref="GetInstance"/> with each check's latest probe and the recent status transitions (<c>GET /instances/{id}</c>,
    /// the dashboard); the write paths that only need the instance do not build them.
    /// </summary>
    internal InstanceRuntime? GetInstanceDetails(string instanceId)
        => GetInstance(instanceId) is { } runtime && _byId.TryGetValue(instanceId, out var state)
            ? runtime with { Checks = LatestProbes(state), Transitions = state.Transitions }
            : null;

    /// <summary>Waits until the service's index passes <paramref name="index"/>, or <paramref name="wait"/> elapses.</summary>
    /// <returns>The service's view at return (null when it never existed); its index is still <paramref name="index"/> or lower on timeout.</returns>
    internal Task<ServiceView?> WaitForServiceAsync(string serviceName, long index, TimeSpan wait, CancellationToken cancellationToken = default)
        => BlockAsync<ServiceView?>(index, wait, () =>
        {
            if (_services.TryGetValue(serviceName, out var entry))
                return (entry.Changed, entry.View, entry.View?.Index ?? 0);
            var added = Volatile.Read(ref _serviceAdded).Task;
            return _services.ContainsKey(serviceName) ? null : (added, (ServiceView?)null, 0L); // null: added meanwhile, read again
        }, cancellationToken);

    /// <summary>Waits until a change past <paramref name="index"/> is published anywhere in the catalog, or <paramref name="wait"/> elapses.</summary>
    /// <returns>The <see cref="PublishedIndex"/> at return; still <paramref name="index"/> or lower on timeout.</returns>
    public Task<long> WaitForCatalogChangeAsync(long index, TimeSpan wait, CancellationToken cancellationToken = default)
        => BlockAsync<long>(index, wait, () =>
        {
            var signal = _published.Changed;
            var current = _published.Index;
            return (signal, current, current);
        }, cancellationToken);

    /// <summary>The catalog's blocking queries through the one loop, <see cref="Notifications.BlockingWait"/>, at most <see cref="RegistryOptions.MaxWait"/>.</summary>
    private Task<T> BlockAsync<T>(long index, TimeSpan wait, Func<(Task Signal, T Value, long Index)?> read, CancellationToken cancellationToken)
        => Notifications.BlockingWait.RunAsync(_time, _options.MaxWait, index, wait, read, cancellationToken);

    private static CheckRuntime? VisibleNamed(CheckRuntime[] visible, string checkId)
    {
        foreach (var check in visible)
        {
            if (check.CheckId == checkId)
                return check;
        }
        return null;
    }

    /// <summary>Finds a health check by id: its instance and its latest output (which may be newer than the output in the instance's view, since output-only reports bump no index).</summary>
    /// <returns>Null when no instance has a check with that id.</returns>
    internal CheckLookup? FindCheck(string checkId)
    {
        ArgumentNullException.ThrowIfNull(checkId);
        if (!_byCheckId.TryGetValue(checkId, out var check) || check.Owner.Removed || check.Owner.Committed is not { } committed)
            return null;
        // The runtime readers see: a change the store has not made durable may have installed another under this id, or none.
        if (VisibleNamed(check.Owner.VisibleChecks, checkId) is not { } shown)
            return null;
        return new CheckLookup(committed.InstanceId, shown.LatestOutput ?? shown.Output);
    }

    /// <summary>Every service with at least one instance, sorted by name; optionally only those with a healthy instance or carrying a tag.</summary>
    public ServiceList ListServices(bool healthyOnly = false, string? tag = null)
    {
        var all = _serviceListCache;
        var index = PublishedIndex; // not Index: a list built from views not yet published must not be cached as current
        if (all is null || all.Index != index)
        {
            var summaries = Summaries();
            all = new ServiceList(summaries, summaries.Count, index);
            _serviceListCache = all;
        }
        if (!healthyOnly && tag is null)
            return all;
        var filtered = all.Services
            .Where(s => (!healthyOnly || s.HealthyInstances > 0) && (tag is null || s.Tags.Contains(tag, StringComparer.Ordinal)))
            .ToList();
        return new ServiceList(filtered, filtered.Count, all.Index);
    }

    /// <summary>
    /// How many services have instances, and how many of those have a healthy one: a walk of the views (kept until the next
    /// change), without the list <see cref="ListServices"/> builds and sorts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the registry's /health, polled at start while a million instances load
    public (int Services, int Healthy) CountServices()
    {
        var index = PublishedIndex; // read first: the counts are at least as new as the index they are kept under
        if (_serviceCounts is { } counts && counts.Index == index)
            return (counts.Services, counts.Healthy);
        var (services, healthy) = (0, 0);
        foreach (var entry in _services.Values)
        {
            var view = entry.View;
            if (view.Instances.Count == 0)
                continue;
            services++;
            healthy += view.HealthyCount > 0 ? 1 : 0;
        }
        _serviceCounts = new ServiceCounts(index, services, healthy);
        return (services, healthy);
    }

    private sealed record ServiceCounts(long Index, int Services, int Healthy);

    /// <summary>One summary per service with instances, sorted by name.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the first list after a start walks every instance
    private List<ServiceSummary> Summaries()
    {
        var summaries = new List<ServiceSummary>(_services.Count);
        foreach (var entry in _services.Values)
        {
            var view = entry.View;
            if (view.Instances.Count == 0)
                continue;
            var (passing, warning) = (0, 0);
            foreach (var i in view.Instances)
            {
                passing += i.Status == HealthStatus.Passing ? 1 : 0;
                warning += i.Status == HealthStatus.Warning ? 1 : 0;
            }
            summaries.Add(new ServiceSummary(view.ServiceName, view.Instances.Count, view.HealthyCount, Tags(view.Instances), Versions(view.Instances), view.Index)
            {
                Passing = passing,
                Warning = warning,
                Critical = view.Instances.Count - passing - warning,
            });
        }
        summaries.Sort(static (a, b) => string.CompareOrdinal(a.ServiceName, b.ServiceName));
        return summaries;
    }

    /// <summary>The service's tags, sorted and distinct; when every instance holds the same shared list (the common case), that list.</summary>
    private static IReadOnlyList<string> Tags(IReadOnlyList<ServiceInstance> instances)
    {
        var first = instances[0].Tags;
        var same = IsSortedDistinct(first);
        for (var i = 1; same && i < instances.Count; i++)
            same = ReferenceEquals(instances[i].Tags, first);
        if (same)
            return first;
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var instance in instances)
            tags.UnionWith(instance.Tags);
        return [.. tags];
    }

    private static IReadOnlyList<string> Versions(IReadOnlyList<ServiceInstance> instances)
    {
        var first = instances[0].Version;
        var same = true;
        for (var i = 1; same && i < instances.Count; i++)
            same = string.Equals(instances[i].Version, first, StringComparison.Ordinal);
        if (same)
            return first.Length > 0 ? [first] : [];
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            if (instance.Version.Length > 0)
                versions.Add(instance.Version);
        }
        return [.. versions];
    }

    private static bool IsSortedDistinct(IReadOnlyList<string> tags)
    {
        for (var i = 1; i < tags.Count; i++)
        {
            if (string.CompareOrdinal(tags[i - 1], tags[i]) >= 0)
                return false;
        }
        return true;
    }

    /// <summary>The health of every service in seed 001's aggregated shape.</summary>
    public AggregatedHealth GetAggregatedHealth()
    {
        var services = new SortedDictionary<string, ServiceHealth>(StringComparer.Ordinal);
        foreach (var entry in _services.Values)
        {
            var view = entry.View;
            if (view.Instances.Count == 0)
                continue;
            InstanceRuntime? best = null;
            DateTimeOffset? lastHeartbeat = null;
            foreach (var instance in view.Instances)
            {
                if (GetInstance(instance.InstanceId) is not { } runtime)
                    continue;
                if (runtime.LastHeartbeat > lastHeartbeat || lastHeartbeat is null)
                    lastHeartbeat = runtime.LastHeartbeat;
                if (best is null || (!best.Instance.Status.IsHealthy() && instance.Status.IsHealthy()))
                    best = runtime;
            }
            var healthy = view.HealthyCount > 0;
            services[view.ServiceName] = new ServiceHealth(
                healthy ? HealthStatusNames.Healthy : HealthStatusNames.Unhealthy,
                best?.Instance.BaseUrl ?? view.Instances[0].BaseUrl,
                lastHeartbeat,
                HealthData(best?.LatestOutput),
                view.Instances.Count,
                view.HealthyCount);
        }
        var healthyServices = services.Values.Count(s => s.Status == HealthStatusNames.Healthy);
        return new AggregatedHealth(OverallStatus(services.Count, healthyServices), _time.GetUtcNow(), services,
            services.Count, healthyServices, services.Count - healthyServices);
    }

    /// <summary>The seed-001 overall status: healthy when every service has a healthy instance (or there are none), unhealthy when none has, else degraded.</summary>
    public static string OverallStatus(int total, int healthy)
        => healthy == total ? HealthStatusNames.Healthy : healthy == 0 ? HealthStatusNames.Unhealthy : "degraded";

    private static JsonElement? HealthData(string? output)
    {
        if (string.IsNullOrEmpty(output))
            return null;
        var trimmed = output.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] == '{')
        {
            try
            {
                using var doc = JsonDocument.Parse(output, new JsonDocumentOptions { MaxDepth = 16 });
                return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                // not JSON after all: fall through to the plain form
            }
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("output", output);
            writer.WriteEndObject();
        }
        using var plain = JsonDocument.Parse(buffer.WrittenMemory);
        return plain.RootElement.Clone();
    }
}

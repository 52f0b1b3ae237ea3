using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Switchboard.Instances;
using Switchboard.Registry.Leases;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    /// <summary>Loads what the store holds. Restored leases get <see cref="RegistryOptions.RestoreGracePeriod"/> on top of their TTL.</summary>
    /// <remarks>
    /// The store hands over instances that already hold shared values (<see cref="Compaction.InstanceCompaction"/>), so the
    /// store and the catalog keep one copy of each. A large load runs with collections held off (<see cref="CollectionPause"/>).
    /// </remarks>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        using var pause = CollectionPause.Begin(_options.PauseCollectionsDuringLoad && _store is Storage.IStoredSize stored ? stored.StoredBytes() : 0,
            adviseHugePages: _options.HugePagesDuringLoad);
        var snapshot = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        lock (_writeLock)
        {
            var now = Now;
            if (_byId.IsEmpty && snapshot.Instances.Count > 0)
                _byId = new ConcurrentDictionary<string, InstanceState>(Environment.ProcessorCount, snapshot.Instances.Count, StringComparer.Ordinal); // no growth (each copies every node) on the way
            AddLoaded(snapshot.Instances, now);
            _instanceCount = _byId.Count;
            _index = Math.Max(_index, snapshot.Index);
            // The store keeps no per-service index, and a service's last change may have been a removal (its instances'
            // modify indexes are then lower than what readers saw before the restart): the restored index is the floor.
            Parallel.ForEach(_services.Values, entry => entry.PublishLoaded(_index));
            _published.Publish(_index);
        }
        Log.Loaded(_logger, snapshot.Instances.Count, snapshot.Index, _store.Kind);
    }

    /// <summary>
    /// Adds the loaded instances to the indexes, their leases and TTL checks armed from <paramref name="now"/>. Call under the
    /// write lock, before anything else uses the catalog. The services are split between the cores by the hash of their
    /// name, so each service's entry is filled by one thread; what is not safe to share (the deadline queue's order, the
    /// probe scheduler) is gathered per thread and handed over afterwards on this one.
    /// </summary>
    private void AddLoaded(IReadOnlyList<ServiceInstance> instances, long now)
    {
        var parts = instances.Count < 10_000 ? 1 : Environment.ProcessorCount;
        var loaded = new LoadedPart[parts];
        Parallel.For(0, parts, part => loaded[part] = AddLoadedPart(instances, now, part, parts));
        _deadlines.AddRange([.. loaded.Select(part => part.Deadlines)]);
        foreach (var part in loaded)
        {
            foreach (var check in part.Critical)
                MarkCritical(check, now);
            foreach (var check in part.Active)
                ActiveCheckScheduled?.Invoke(check);
        }
    }

    /// <summary>Adds the instances of the services whose name hashes to <paramref name="part"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private LoadedPart AddLoadedPart(IReadOnlyList<ServiceInstance> instances, long now, int part, int parts)
    {
        var loaded = new LoadedPart(instances.Count / parts);
        var grace = _options.RestoreGracePeriod.Ticks;
        var sizes = ServiceSizes(instances, part, parts); // each service's dictionary made at its size, not grown to it
        for (var i = 0; i < instances.Count; i++)
        {
            var instance = instances[i];
            if (parts > 1 && (uint)instance.ServiceName.GetHashCode() % (uint)parts != part)
                continue;
            var state = new InstanceState(instance) { LastHeartbeat = now, Committed = instance };
            if (instance.Ttl is { } ttl)
            {
                state.LeaseDeadline = now + ttl.Ticks + grace;
                loaded.Deadlines.Add(((state, null, DeadlineKind.Lease), state.LeaseDeadline));
            }
            foreach (var check in state.Checks)
            {
                if (check.Spec is { Kind: Registration.HealthCheckKind.Ttl, Ttl: { } checkTtl })
                {
                    check.TtlDeadline = now + checkTtl.Ticks + grace;
                    loaded.Deadlines.Add(((state, check, DeadlineKind.CheckTtl), check.TtlDeadline));
                }
                if (check.Status == HealthStatus.Critical)
                    loaded.Critical.Add(check);
                _byCheckId[check.CheckId] = check;
                if (check.IsActive)
                    loaded.Active.Add(check);
            }
            var entry = _services.GetOrAdd(instance.ServiceName, static (n, load) => new ServiceEntry(n, load.Signal, load.Sizes[n]), (Signal: _published, Sizes: sizes));
            entry.Instances[instance.InstanceId] = state;
            _byId[instance.InstanceId] = state;
        }
        return loaded;
    }

    /// <summary>How many instances each service of <paramref name="part"/> has among <paramref name="instances"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Dictionary<string, int> ServiceSizes(IReadOnlyList<ServiceInstance> instances, int part, int parts)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < instances.Count; i++)
        {
            var name = instances[i].ServiceName;
            if (parts == 1 || (uint)name.GetHashCode() % (uint)parts == part)
                CollectionsMarshal.GetValueRefOrAddDefault(sizes, name, out _)++;
        }
        return sizes;
    }

    /// <summary>What one thread of <see cref="AddLoaded"/> leaves for the calling thread.</summary>
    private sealed class LoadedPart(int capacity)
    {
        public List<((InstanceState State, CheckRuntime? Check, DeadlineKind Kind) Entry, long Deadline)> Deadlines { get; } = new(capacity);

        public List<CheckRuntime> Critical { get; } = [];

        public List<CheckRuntime> Active { get; } = [];
    }
}

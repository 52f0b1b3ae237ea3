using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Leases;
using Switchboard.Registry.Notifications;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Catalog;

/// <summary>
/// The registry's catalog: every instance in memory, indexed by service and by id, with one monotonic index.
/// Writes are serialized under one lock and persisted through <see cref="IRegistryStore"/>; reads are lock-free
/// against immutable per-service views.
/// </summary>
public sealed partial class ServiceCatalog
{
    private readonly Lock _writeLock = new();
    private readonly ConcurrentDictionary<string, ServiceEntry> _services = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, InstanceState> _byId = new(StringComparer.Ordinal); // replaced by a presized one at load
    private readonly ConcurrentDictionary<string, CheckRuntime> _byCheckId = new(StringComparer.Ordinal);
    private readonly DeadlineQueue _deadlines = new();
    private readonly IRegistryStore _store;
    private readonly ISharedRegistryStore? _shared;
    private readonly TimeProvider _time;
    private readonly RegistryOptions _options;
    private readonly ILogger<ServiceCatalog> _logger;
    private readonly CatalogChangeSignal _published = new();
    private readonly Health.CheckTargetPolicy _checkTargets;
    private TaskCompletionSource _serviceAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _index;
    private int _instanceCount;

    /// <summary>Creates an empty catalog; call <see cref="LoadAsync"/> before serving.</summary>
    public ServiceCatalog(IRegistryStore store, TimeProvider timeProvider, IOptions<RegistryOptions> options, ILogger<ServiceCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _time = timeProvider;
        _options = options.Value;
        _logger = logger;
        _checkTargets = new Health.CheckTargetPolicy(_options.Checks);
        _shared = store as ISharedRegistryStore;
        _shared?.Attach(this);
    }

    /// <summary>The catalog's current index: bumped by every change.</summary>
    public long Index => Volatile.Read(ref _index);

    /// <summary>The index of the last change whose data readers can see; lags <see cref="Index"/> only while a write is being published.</summary>
    /// <remarks>Read it before the data it describes: the data is then at least as new as the index.</remarks>
    public long PublishedIndex => _published.Index;

    /// <summary>How many instances are registered.</summary>
    public int InstanceCount => Volatile.Read(ref _instanceCount);

    /// <summary>The store behind the catalog.</summary>
    public IRegistryStore Store => _store;

    /// <summary>The live stream of changes.</summary>
    internal CatalogEventHub Events { get; } = new();

    /// <summary>Where HTTP and TCP checks may point; the probes ask the same policy before they connect.</summary>
    internal Health.CheckTargetPolicy CheckTargets => _checkTargets;

    /// <summary>The settings in force.</summary>
    public RegistryOptions Options => _options;

    /// <summary>Raised (under the write lock) for each HTTP or TCP check of an instance that enters or changes.</summary>
    internal event Action<CheckRuntime>? ActiveCheckScheduled;

    private long Now => _time.GetUtcNow().UtcTicks;

    private void MarkCritical(CheckRuntime check, long now)
    {
        if (check.CriticalSince != 0)
            return;
        check.CriticalSince = now;
        if (check.Spec.DeregisterCriticalAfter is { } after)
            _deadlines.Add(check, DeadlineKind.Reap, now + after.Ticks);
    }

    /// <summary>Adds the instance and its checks to the id indexes and schedules its active checks. Call under the write lock.</summary>
    private void IndexInstance(InstanceState state)
    {
        _byId[state.Instance.InstanceId] = state;
        foreach (var check in state.Checks)
        {
            _byCheckId[check.CheckId] = check;
            if (check.IsActive)
                ActiveCheckScheduled?.Invoke(check);
        }
    }

    /// <summary>Removes the instance's checks from the check index. Call under the write lock.</summary>
    private void UnindexChecks(InstanceState state)
    {
        foreach (var check in state.Checks)
        {
            if (_byCheckId.TryGetValue(check.CheckId, out var current) && current == check)
                _byCheckId.TryRemove(check.CheckId, out _);
        }
    }

    private ServiceEntry EntryFor(string serviceName)
    {
        if (_services.TryGetValue(serviceName, out var entry))
            return entry;
        entry = _services.GetOrAdd(serviceName, static (n, signal) => new ServiceEntry(n, signal), _published);
        Interlocked.Exchange(ref _serviceAdded, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return entry;
    }

    /// <summary>Proposes the removal of an instance; null when it is already gone or going. Call under the write lock.</summary>
    private PendingChange? ProposeRemoval(InstanceState state, string type, (DeadlineKind Kind, CheckRuntime? Check)? deadline = null)
    {
        if (state.Removed || state.Pending is { IsRemoval: true })
            return null;
        return Commit(type, null, state, deadline: deadline);
    }
}

using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.Endpoints;
using Switchboard.Client.Internal;
using Switchboard.Client.LoadBalancing;
using Switchboard.Client.RegistryApi;
using Switchboard.Instances;

namespace Switchboard.Client.Discovery;

/// <summary>
/// The endpoint cache of one service and the loop that keeps it fresh: a blocking query against the registry,
/// answered when the service changes; on failure the cache is kept and marked stale, the fallbacks fill in when
/// nothing is cached, and the loop retries with backoff until the registry is back.
/// </summary>
internal sealed partial class ServiceWatcher : IAsyncDisposable
{
    /// <summary>A watch that returns unchanged faster than this is throttled (guards against a registry that does not block).</summary>
    internal static readonly TimeSpan MinUnchangedInterval = TimeSpan.FromSeconds(1);

    private readonly string _service;
    private readonly ISwitchboardRegistryClient _registry;
    private readonly bool _hasRegistry;
    private readonly FallbackResolver _fallback;
    private readonly SwitchboardOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClientInstruments _instruments;
    private readonly Action<ServiceHealthChangedEventArgs> _onChange;
    private readonly LoadBalancingState _loadBalancing = new();
    private readonly Dictionary<string, (InstanceEndpoint Endpoint, bool Healthy)> _known = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource _changed = new();
    private volatile DiscoveryResult? _current;
    private Task _loop = Task.CompletedTask;
    private int _started;

    public ServiceWatcher(
        string service,
        ISwitchboardRegistryClient registry,
        FallbackResolver fallback,
        SwitchboardOptions options,
        TimeProvider time,
        ClientInstruments instruments,
        ILogger logger,
        Action<ServiceHealthChangedEventArgs> onChange)
    {
        _service = service;
        _registry = registry;
        _hasRegistry = options.Registries.Count > 0;
        _fallback = fallback;
        _options = options;
        _time = time;
        _instruments = instruments;
        _logger = logger;
        _onChange = onChange;
    }

    /// <summary>The latest snapshot; null until the first lookup finished.</summary>
    public DiscoveryResult? Current => _current;

    /// <summary>Completes when the first snapshot is available.</summary>
    public Task FirstResult => _first.Task;

    /// <summary>A token that fires at the next change of the endpoints.</summary>
    public IChangeToken ChangeToken => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    /// <summary>Starts the loop once.</summary>
    public void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _first.TrySetCanceled();
        _stop.Dispose();
        _changed.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            if (_hasRegistry)
                await WatchRegistryAsync(ct);
            else
                await WatchFallbacksAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogWatchCrashed(_logger, ex, _service);
            _first.TrySetException(ex);
        }
    }

    private async Task WatchFallbacksAsync(CancellationToken ct)
    {
        while (true)
        {
            var tried = new List<string>();
            var (instances, source) = await _fallback.ResolveAsync(_service, tried, ct);
            Apply(instances, source, 0, tried);
            if (!_options.Dns.Enabled)
                return;
            await Task.Delay(_options.Dns.RefreshInterval, _time, ct);
        }
    }

    private async Task WatchRegistryAsync(CancellationToken ct)
    {
        long? index = null;
        long lastSeen = 0;
        DateTimeOffset? graceUntil = null;
        var failures = 0;
        string? downReason = null;
        while (true)
        {
            var started = _time.GetTimestamp();
            InstancesResult result;
            try
            {
                result = await _registry.GetInstancesAsync(_service, index, null, ct);
            }
            catch (Exception ex) when (ex is RegistryUnavailableException or RegistryRequestException && !ct.IsCancellationRequested)
            {
                if (downReason is null)
                {
                    downReason = ex.Message;
                    _instruments.RegistryError("watch");
                    LogRegistryDown(_logger, _service, ex.Message, _current is { Endpoints.Length: > 0 });
                }
                await OnRegistryDownAsync(ex.Message, ct);
                var delay = Backoff.Delay(failures++, _options.Discovery.RetryBaseDelay, _options.Discovery.RetryMaxDelay, Random.Shared.NextDouble());
                await Task.Delay(delay, _time, ct);
                index = null;
                continue;
            }

            if (downReason is not null)
            {
                LogRegistryBack(_logger, _service, result.Registry);
                downReason = null;
            }
            failures = 0;

            var current = _current;
            var changed = index is null || result.Index != index || current is null || current.IsStale || current.Source != DiscoverySource.Registry && result.Instances.Count > 0;
            if (result.Index < lastSeen)
            {
                LogIndexReset(_logger, _service, lastSeen, result.Index);
                if (result.Instances.Count == 0 && current is { Source: DiscoverySource.Registry, Endpoints.Length: > 0 })
                    graceUntil = _time.GetUtcNow() + _options.Discovery.RestartGrace;
            }
            lastSeen = result.Index;
            if (graceUntil is { } until && result.Instances.Count == 0 && _time.GetUtcNow() < until && current is { Endpoints.Length: > 0 })
            {
                // The registry restarted with an empty catalog: keep serving the last instances (stale) while they re-register.
                _current = current.AsStale(_time.GetUtcNow(), "the registry restarted with an empty catalog; serving the last known instances until they register again");
                if (_time.GetElapsedTime(started) < MinUnchangedInterval)
                    await Task.Delay(MinUnchangedInterval, _time, ct);
                index = result.Index;
                continue;
            }
            graceUntil = null;
            if (changed)
            {
                await ApplyRegistryAsync(result, ct);
            }
            else if (_time.GetElapsedTime(started) < MinUnchangedInterval)
            {
                await Task.Delay(MinUnchangedInterval, _time, ct);
            }
            index = result.Index;
        }
    }

    private async Task ApplyRegistryAsync(InstancesResult result, CancellationToken ct)
    {
        var tried = new List<string> { $"registry {result.Registry}: {result.Instances.Count} instance(s) at index {result.Index}" };
        if (result.Instances.Count > 0)
        {
            Apply(result.Instances, DiscoverySource.Registry, result.Index, tried);
            return;
        }
        var (instances, source) = await _fallback.ResolveAsync(_service, tried, ct);
        Apply(instances, source == DiscoverySource.None ? DiscoverySource.Registry : source, result.Index, tried);
    }

    private async Task OnRegistryDownAsync(string reason, CancellationToken ct)
    {
        var current = _current;
        if (current is { Source: DiscoverySource.Registry, Endpoints.Length: > 0 })
        {
            if (!current.IsStale)
                _current = current.AsStale(_time.GetUtcNow(), reason);
            return;
        }
        if (current is not null && current.Source is DiscoverySource.Static)
            return;
        var tried = new List<string> { $"registry: {reason}" };
        var (instances, source) = await _fallback.ResolveAsync(_service, tried, ct);
        Apply(instances, source, 0, tried);
    }

    private void Apply(IReadOnlyList<ServiceInstance> instances, DiscoverySource source, long index, IReadOnlyList<string> tried)
    {
        var now = _time.GetUtcNow();
        var endpoints = ImmutableArray.CreateBuilder<InstanceEndpoint>(instances.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var events = new List<ServiceHealthChangedEventArgs>();
        foreach (var instance in instances)
        {
            if (!seen.Add(instance.InstanceId))
                continue;
            var healthy = instance.Status.IsHealthy();
            if (_known.TryGetValue(instance.InstanceId, out var known))
            {
                known.Endpoint.Update(instance);
                if (known.Healthy != healthy)
                    events.Add(new(_service, healthy ? ServiceHealthChangeKind.BecameHealthy : ServiceHealthChangeKind.BecameUnhealthy, instance, now));
                _known[instance.InstanceId] = (known.Endpoint, healthy);
                endpoints.Add(known.Endpoint);
            }
            else
            {
                var endpoint = new InstanceEndpoint(instance);
                _known[instance.InstanceId] = (endpoint, healthy);
                endpoints.Add(endpoint);
                events.Add(new(_service, ServiceHealthChangeKind.Appeared, instance, now));
            }
        }
        foreach (var id in _known.Keys.Where(id => !seen.Contains(id)).ToArray())
        {
            events.Add(new(_service, ServiceHealthChangeKind.Disappeared, _known[id].Endpoint.Instance, now));
            _known.Remove(id);
        }

        var previous = _current;
        _current = new DiscoveryResult(_service, instances.Count == 0 ? DiscoverySource.None : source, endpoints.DrainToImmutable(), index, now, _loadBalancing, tried);
        _instruments.DiscoveryUpdate(_service, source.ToString());
        if (previous is null || previous.Source != _current.Source)
            LogSource(_logger, _service, _current.Source, _current.Endpoints.Length, string.Join("; ", tried));
        else
            LogUpdated(_logger, _service, _current.Endpoints.Length, _current.HealthyEndpoints.Length, index);

        var old = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        _first.TrySetResult();
        foreach (var e in events)
            _onChange(e);
        old.Cancel();
        old.Dispose();
    }
}

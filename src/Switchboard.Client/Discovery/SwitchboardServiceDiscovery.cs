using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.RegistryApi;
using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Client.Discovery;

/// <summary>The <see cref="IServiceDiscovery"/> implementation: one <see cref="ServiceWatcher"/> per service looked up.</summary>
internal sealed partial class SwitchboardServiceDiscovery : IServiceDiscovery, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly ISwitchboardRegistryClient _registry;
    private readonly FallbackResolver _fallback;
    private readonly SwitchboardOptions _options;
    private readonly TimeProvider _time;
    private readonly ClientInstruments _instruments;
    private readonly ILogger<SwitchboardServiceDiscovery> _logger;
    private int _disposed;

    public SwitchboardServiceDiscovery(
        ISwitchboardRegistryClient registry,
        FallbackResolver fallback,
        IOptions<SwitchboardOptions> options,
        TimeProvider time,
        ClientInstruments instruments,
        ILogger<SwitchboardServiceDiscovery> logger)
    {
        _registry = registry;
        _fallback = fallback;
        _options = options.Value;
        _time = time;
        _instruments = instruments;
        _logger = logger;
    }

    public event EventHandler<ServiceHealthChangedEventArgs>? HealthChanged;

    public ValueTask<DiscoveryResult> ResolveAsync(string serviceName, CancellationToken cancellationToken = default)
    {
        if (serviceName is not null && _watchers.TryGetValue(serviceName, out var watcher) && watcher.Current is { Endpoints.Length: > 0 } cached)
            return new ValueTask<DiscoveryResult>(cached);
        return ResolveSlowAsync(serviceName!, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ServiceInstance>> GetInstancesAsync(string serviceName, InstanceQuery? query = null, CancellationToken cancellationToken = default)
    {
        var result = await ResolveAsync(serviceName, cancellationToken);
        return [.. result.Select(query ?? InstanceQuery.Healthy).Select(e => e.Instance)];
    }

    public IChangeToken GetChangeToken(string serviceName) => Watch(serviceName).ChangeToken;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        foreach (var watcher in _watchers.Values)
            await watcher.DisposeAsync();
        _watchers.Clear();
    }

    private async ValueTask<DiscoveryResult> ResolveSlowAsync(string serviceName, CancellationToken cancellationToken)
    {
        var watcher = Watch(serviceName);
        await watcher.FirstResult.WaitAsync(cancellationToken);
        var result = watcher.Current!;
        if (result.Endpoints.Length == 0)
            throw ServiceNotFoundException.For(serviceName, result.SourcesTried);
        return result;
    }

    private ServiceWatcher Watch(string serviceName)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (ServiceNames.Validate(serviceName) is { } error)
            throw new ArgumentException($"'{serviceName}' is not a valid service name: the name {error}.", nameof(serviceName));
        var watcher = _watchers.GetOrAdd(serviceName, name => new ServiceWatcher(name, _registry, _fallback, _options, _time, _instruments, _logger, Raise));
        watcher.EnsureStarted();
        return watcher;
    }

    private void Raise(ServiceHealthChangedEventArgs change)
    {
        if (HealthChanged is not { } handlers)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<ServiceHealthChangedEventArgs>>())
        {
            try
            {
                handler(this, change);
            }
            catch (Exception ex)
            {
                LogHandlerFailed(_logger, ex, change.ServiceName);
            }
        }
    }

    [LoggerMessage(1300, LogLevel.Warning, "A HealthChanged handler threw for service {Service}; the exception is ignored.", EventName = "HealthChangedHandlerFailed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string service);
}

using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Eureka;

/// <summary>
/// Eureka's recently-changed queue: the catalog's changes of the last <see cref="Window"/> (Eureka's three minutes), each
/// with Eureka's action (<c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>) and the instance as it was after the change
/// (before it, for a removal), for <c>GET /eureka/apps/delta</c>.
/// </summary>
/// <remarks>
/// It reads the catalog's event hub through one subscription, started by the first delta request (so a registry whose
/// clients never ask for a delta pays nothing). Until it has watched a whole window, or for a window after it missed
/// changes (cut off behind, a shared store's resync, more than <see cref="MaxEntries"/> changes in a window), it has no
/// complete answer and <see cref="TryGet"/> says so: the delta then lists every instance.
/// </remarks>
internal sealed class EurekaRecentChanges(ServiceCatalog catalog, TimeProvider time) : IDisposable
{
    /// <summary>How long a change stays in the queue (Eureka's <c>retentionTimeInMSInDeltaQueue</c>).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(3);

    /// <summary>The most changes kept; more in one window is a gap.</summary>
    public const int MaxEntries = 10_000;

    private const int Backlog = 65_536;

    /// <summary>One change: the instance's id and service, Eureka's action, the instance to show.</summary>
    public sealed record Change(long At, string InstanceId, string ServiceName, string Action, ServiceInstance Instance);

    private readonly Lock _gate = new();
    private readonly Queue<Change> _changes = new();
    private readonly Dictionary<string, ServiceInstance> _last = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private long _completeFrom = long.MaxValue;
    private Task? _reader;

    /// <summary>The changes of the last window, the latest per instance, in order; false (and starts watching) when the queue cannot vouch for the whole window.</summary>
    public bool TryGet(out IReadOnlyList<Change> changes)
    {
        var now = time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            _reader ??= Task.Run(ReadAsync);
            Trim(now);
            if (now < _completeFrom)
            {
                changes = [];
                return false;
            }
            var latest = new Dictionary<string, Change>(StringComparer.Ordinal);
            foreach (var change in _changes)
            {
                latest.Remove(change.InstanceId); // re-added last: the order is that of each instance's latest change
                latest[change.InstanceId] = change;
            }
            changes = [.. latest.Values];
            return true;
        }
    }

    private async Task ReadAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var subscription = catalog.Events.Subscribe(Backlog);
            Seed();
            try
            {
                await foreach (var change in subscription.Events.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                    Record(change);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return; // the host is stopping
            }
            Gap(); // cut off or reset: changes may have been missed; subscribe again
        }
    }

    /// <summary>The instances that exist when watching starts, so a removal shows what was removed; a window later the queue is complete.</summary>
    private void Seed()
    {
        var now = time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            foreach (var service in catalog.ListServices().Services)
            {
                foreach (var instance in catalog.GetService(service.ServiceName)?.Instances ?? [])
                    _last.TryAdd(instance.InstanceId, instance);
            }
            _completeFrom = now + Window.Ticks;
        }
    }

    private void Record(CatalogEvent change)
    {
        var now = time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            var removed = change.Instance is null;
            var instance = change.Instance ?? _last.GetValueOrDefault(change.InstanceId);
            if (removed)
                _last.Remove(change.InstanceId);
            else
                _last[change.InstanceId] = change.Instance!;
            if (instance is null)
            {
                _completeFrom = now + Window.Ticks; // a removal of an instance never seen: the delta cannot show it
                return;
            }
            var action = change.Type switch
            {
                CatalogEventTypes.Registered => "ADDED",
                _ when removed => "DELETED",
                _ => "MODIFIED",
            };
            _changes.Enqueue(new Change(now, change.InstanceId, change.ServiceName, action, instance));
            Trim(now);
            if (_changes.Count > MaxEntries)
            {
                _changes.Clear();
                _completeFrom = now + Window.Ticks;
            }
        }
    }

    private void Gap()
    {
        lock (_gate)
        {
            _changes.Clear();
            _last.Clear();
            _completeFrom = long.MaxValue; // Seed sets it again a window ahead
        }
    }

    private void Trim(long now)
    {
        while (_changes.TryPeek(out var oldest) && oldest.At < now - Window.Ticks)
            _changes.Dequeue();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}

using System.Text.Json;
using StackExchange.Redis;
using Switchboard.Api;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis;

public sealed partial class RedisRegistryStore
{
    /// <summary>The index of the last message handled from the channel (or of the last reconciliation); touched by the inbound loop.</summary>
    private long _streamIndex;

    private int _resyncQueued;
    private int _recoverQueued;

    /// <summary>The shared index of the last change this node applied from the channel or a reconciliation.</summary>
    public long ReplicatedIndex => Volatile.Read(ref _streamIndex);

    private void OnChannelMessage(RedisValue payload)
    {
        ChangeMessage? message = null;
        try
        {
            message = JsonSerializer.Deserialize((string)payload!, RedisJsonContext.Default.ChangeMessage);
        }
        catch (JsonException)
        {
            // reported below
        }
        if (message is null || message.Index <= 0 || message.Type is null
            || message.Type != ChangeMessage.SyncType && (string.IsNullOrEmpty(message.InstanceId) || string.IsNullOrEmpty(message.ServiceName)))
        {
            Log.SkippedMessage(_logger, _keys.ChannelName, payload.ToString().Length > 200 ? payload.ToString()[..200] : payload.ToString());
            return;
        }
        _inbound.Writer.TryWrite(Inbound.Message(message));
    }

    /// <summary>Applies channel messages, answers and reconciliations one at a time, in order.</summary>
    private async Task InboundLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _inbound.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await HandleAsync(item, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsConnectionProblem(ex))
                {
                    GoOffline(Describe(ex));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.InboundFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task HandleAsync(Inbound item, CancellationToken cancellationToken)
    {
        switch (item.Kind)
        {
            case InboundKind.Message:
                HandleMessage(item.Change!);
                break;
            case InboundKind.Accepted:
                HandleAccepted(item.InstanceId!);
                break;
            case InboundKind.Resync:
                Interlocked.Exchange(ref _resyncQueued, 0);
                if (_online)
                    await ResyncAsync(item.Reason!, cancellationToken).ConfigureAwait(false);
                break;
            case InboundKind.Recover:
                Interlocked.Exchange(ref _recoverQueued, 0);
                await RecoverAsync(cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private void HandleMessage(ChangeMessage message)
    {
        var last = Volatile.Read(ref _streamIndex);
        if (message.Index <= last)
            return; // seen already, or older than the last reconciliation
        if (message.Before > last)
            RequestResync($"missed changes {last + 1}..{message.Before}");
        Volatile.Write(ref _streamIndex, message.Index);
        if (message.Type == ChangeMessage.SyncType)
            return;

        var id = message.InstanceId!;
        var own = false;
        lock (_gate)
        {
            if (_pending.TryGetValue(id, out var pending))
            {
                if (message.Node != NodeId || pending.Provisional != message.Provisional)
                    return; // a later write of ours supersedes it and will settle the instance
                _pending.Remove(id);
                own = true;
            }
        }
        if (own)
        {
            // Our own write: relabel it with its shared index (outside the gate: the catalog's lock comes first).
            Replica.Confirm(id, message.ServiceName!, message.Provisional, message.Index, message.CreateIndex);
            return;
        }
        var record = message.Record is { } r ? r with { ModifyIndex = message.Index, CreateIndex = message.CreateIndex } : null;
        Replica.Apply(new ReplicatedChange(message.Index, message.Type!, id, message.ServiceName!, record), _isHeld);
    }

    /// <summary>Redis answered one of our writes: when its message was already passed over (by a reconciliation), confirm it now.</summary>
    private void HandleAccepted(string instanceId)
    {
        PendingWrite pending;
        lock (_gate)
        {
            if (!_pending.TryGetValue(instanceId, out pending) || pending.Index == 0 || pending.Index > Volatile.Read(ref _streamIndex))
                return;
            _pending.Remove(instanceId);
        }
        Replica.Confirm(instanceId, pending.ServiceName, pending.Provisional, pending.Index, pending.Created);
    }

    /// <summary>Whether a write of ours to the instance is on its way: changes that Redis ordered before it are not applied.</summary>
    private bool IsHeld(string instanceId)
    {
        lock (_gate)
            return _pending.ContainsKey(instanceId);
    }

    private void RequestResync(string reason)
    {
        if (Interlocked.Exchange(ref _resyncQueued, 1) == 0)
            _inbound.Writer.TryWrite(Inbound.Resync(reason));
    }

    private void RequestRecover()
    {
        if (Interlocked.Exchange(ref _recoverQueued, 1) == 0)
            _inbound.Writer.TryWrite(Inbound.Recover());
    }

    /// <summary>
    /// Makes the replica equal to Redis: takes a fresh index, compares every modify index, fetches what differs and removes
    /// what Redis no longer has (except instances with a write of ours in flight).
    /// </summary>
    /// <returns>How many instances changed.</returns>
    internal async Task<int> ResyncAsync(string reason, CancellationToken cancellationToken)
    {
        Registry.Diagnostics.RegistryTelemetry.RoundTrip("redis", "resync");
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.Claim, [_keys.Index, _keys.Versions], [_keys.ChannelName, NodeId])
            .WaitAsync(cancellationToken).ConfigureAwait(false))!;
        var index = (long)result[0];
        var remote = ReadVersions((RedisResult[])result[1]!);
        HashSet<string> held;
        lock (_gate)
        {
            // Writes answered at or before the claimed index are in what we read: settle them by comparison.
            foreach (var (id, pending) in _pending.Where(p => p.Value.Index > 0 && p.Value.Index <= index).ToList())
                _pending.Remove(id);
            held = [.. _pending.Keys];
        }
        var local = Replica.Versions().ToDictionary(v => v.InstanceId, v => v.ModifyIndex, StringComparer.Ordinal);
        var stale = remote.Where(r => !held.Contains(r.Key) && (!local.TryGetValue(r.Key, out var mine) || mine != r.Value)).Select(r => r.Key).ToList();
        var fetched = await FetchAsync(stale, cancellationToken).ConfigureAwait(false);
        var changed = 0;
        foreach (var (id, instance) in fetched)
        {
            Replica.Apply(new ReplicatedChange(index, local.ContainsKey(id) ? CatalogEventTypes.Updated : CatalogEventTypes.Registered, id, instance.ServiceName, instance, Force: true), _isHeld);
            changed++;
        }
        foreach (var id in local.Keys.Where(id => !remote.ContainsKey(id) && !held.Contains(id)))
        {
            Replica.Apply(new ReplicatedChange(index, CatalogEventTypes.Deregistered, id, "", null, Force: true), _isHeld);
            changed++;
        }
        if (index > Volatile.Read(ref _streamIndex))
            Volatile.Write(ref _streamIndex, index);
        if (changed > 0)
            Log.Reconciled(_logger, changed, index, reason);
        return changed;
    }

    /// <summary>Redis is back: write back what happened meanwhile, then reconcile.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (_online || Volatile.Read(ref _disposed) != 0)
            return;
        await SubscribeAsync().ConfigureAwait(false);
        if (!await WriteBackAsync().ConfigureAwait(false))
            return;
        Volatile.Write(ref _expiryNotBefore, (_time.GetUtcNow() + _options.ExpiryGraceAfterOutage).UtcTicks);
        Log.CameBack(_logger, _options.ExpiryGraceAfterOutage.TotalSeconds);
        await ResyncAsync("Redis came back", cancellationToken).ConfigureAwait(false);
    }

    private enum InboundKind
    {
        Message,
        Accepted,
        Resync,
        Recover,
    }

    private sealed record Inbound(InboundKind Kind, ChangeMessage? Change = null, string? InstanceId = null, string? Reason = null)
    {
        public static Inbound Message(ChangeMessage change) => new(InboundKind.Message, Change: change);

        public static Inbound Accepted(string instanceId) => new(InboundKind.Accepted, InstanceId: instanceId);

        public static Inbound Resync(string reason) => new(InboundKind.Resync, Reason: reason);

        public static Inbound Recover() => new(InboundKind.Recover);
    }
}

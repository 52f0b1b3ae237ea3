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
            case InboundKind.SettleAnswered:
                SettleAnswered();
                break;
            case InboundKind.Resync:
                Interlocked.Exchange(ref _resyncQueued, 0);
                if (_online)
                    await ResyncAsync(item.Reason!, cancellationToken, item.Lost).ConfigureAwait(false);
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
        {
            var missed = $"missed changes {last + 1}..{message.Before}";
            Replica.ResetSubscribers($"this agent {missed} of the shared store");
            RequestResync(missed, lost: true);
        }
        Volatile.Write(ref _streamIndex, message.Index);
        if (message.Type == ChangeMessage.SyncType)
            return;

        var id = message.InstanceId!;
        PendingWrite? own = null;
        lock (_gate)
        {
            // Another node's change, or an older one of ours, to an instance we are writing is applied before our write (held).
            if (_pending.TryGetValue(id, out var pending) && message.Node == NodeId && pending.Provisional == message.Provisional && _pending.Remove(id))
                own = pending;
        }
        if (own is { } mine)
        {
            Settle(mine with { Index = message.Index, Created = message.CreateIndex });
            return;
        }
        var record = message.Record is { } r ? r with { ModifyIndex = message.Index, CreateIndex = message.CreateIndex } : null;
        Replica.Apply(new ReplicatedChange(message.Index, message.Type!, id, message.ServiceName!, record), _isHeld);
    }

    /// <summary>Redis answered one of our writes: when its message was already passed over (by a reconciliation), settle it now.</summary>
    private void HandleAccepted(string instanceId)
    {
        PendingWrite pending;
        lock (_gate)
        {
            if (!_pending.TryGetValue(instanceId, out pending) || pending.Index == 0 || pending.Index > Volatile.Read(ref _streamIndex))
                return;
            _pending.Remove(instanceId);
        }
        Settle(pending);
    }

    /// <summary>
    /// Settles the writes Redis answered at or before <paramref name="upTo"/>. With no bound: Redis is unreachable, the
    /// writes it answered will not be reached on the channel until it returns, so they are settled now at their shared index
    /// (a change Redis ordered before one of them may then reach readers after it).
    /// </summary>
    private void SettleAnswered(long upTo = long.MaxValue)
    {
        List<PendingWrite> answered;
        lock (_gate)
        {
            answered = [.. _pending.Values.Where(p => p.Index > 0 && p.Index <= upTo)];
            foreach (var pending in answered)
                _pending.Remove(pending.Item.Write.InstanceId);
        }
        foreach (var pending in answered)
            Settle(pending);
    }

    /// <summary>
    /// One of our writes reached in the shared order: the catalog learns its shared index, then its acknowledgement lets the
    /// catalog make it visible (before any later change this loop applies: <see cref="ICatalogReplica.Apply"/> drains first).
    /// Outside the gate: the catalog's lock comes first.
    /// </summary>
    private void Settle(PendingWrite pending)
    {
        Replica.Confirm(pending.Item.Write.InstanceId, pending.Item.Write.ServiceName, pending.Provisional, pending.Index, pending.Created);
        pending.Item.Done.TrySetResult();
    }

    /// <summary>Whether a write of ours to the instance is on its way: changes that Redis ordered before it are not applied.</summary>
    private bool IsHeld(string instanceId)
    {
        lock (_gate)
            return _pending.ContainsKey(instanceId);
    }

    /// <summary>Queues a reconciliation (one of each kind at a time).</summary>
    /// <param name="reason">Why, for the log.</param>
    /// <param name="lost">True when changes were lost on their way to this node: the reconciliation may then pass over changes still on their way too.</param>
    private void RequestResync(string reason, bool lost = false)
    {
        var wanted = lost ? 2 : 1;
        while (true)
        {
            var queued = Volatile.Read(ref _resyncQueued);
            if (queued >= wanted)
                return;
            if (Interlocked.CompareExchange(ref _resyncQueued, wanted, queued) == queued)
            {
                _inbound.Writer.TryWrite(Inbound.Resync(reason, lost));
                return;
            }
        }
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
    /// <param name="reason">Why, for the log.</param>
    /// <param name="cancellationToken">Stops it.</param>
    /// <param name="lost">
    /// False (a periodic check, a refused write): changes still on their way on the channel are left to their messages, so
    /// that every node publishes them in order; only what this node has received is compared. True (a gap, a reconnection,
    /// an outage): the replica is made equal to Redis at once, and the event streams are told to resynchronise when that
    /// passes over changes not received yet.
    /// </param>
    /// <returns>How many instances changed.</returns>
    internal async Task<int> ResyncAsync(string reason, CancellationToken cancellationToken, bool lost = true)
    {
        var received = Volatile.Read(ref _streamIndex);
        Registry.Diagnostics.RegistryTelemetry.RoundTrip("redis", "resync");
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.Claim, [_keys.Index, _keys.Versions], [_keys.ChannelName, NodeId])
            .WaitAsync(cancellationToken).ConfigureAwait(false))!;
        var index = (long)result[0];
        var remote = ReadVersions((RedisResult[])result[1]!);
        var inFlight = index - 1 > received; // Redis ran changes this node has not received (yet)
        var partial = inFlight && !lost;
        var bound = partial ? received : index;
        SettleAnswered(bound); // writes answered at or before the bound are in what we compare
        HashSet<string> held;
        lock (_gate)
            held = [.. _pending.Keys];
        var local = Replica.Versions().ToDictionary(v => v.InstanceId, v => v.ModifyIndex, StringComparer.Ordinal);
        var stale = remote.Where(r => !held.Contains(r.Key) && r.Value <= bound && (!local.TryGetValue(r.Key, out var mine) || mine != r.Value)).Select(r => r.Key).ToList();
        var fetched = await FetchAsync(stale, cancellationToken).ConfigureAwait(false);
        var changed = 0;
        foreach (var (id, instance) in fetched)
        {
            Replica.Apply(new ReplicatedChange(index, local.ContainsKey(id) ? CatalogEventTypes.Updated : CatalogEventTypes.Registered, id, instance.ServiceName, instance, Force: true), _isHeld);
            changed++;
        }
        if (partial)
        {
            // A removal missing here may be on its way; the claim's own message comes after it and moves the stream on.
            if (changed > 0)
                Log.Reconciled(_logger, changed, index, reason);
            return changed;
        }
        foreach (var id in local.Keys.Where(id => !remote.ContainsKey(id) && !held.Contains(id)))
        {
            Replica.Apply(new ReplicatedChange(index, CatalogEventTypes.Deregistered, id, "", null, Force: true), _isHeld);
            changed++;
        }
        if (index > Volatile.Read(ref _streamIndex))
        {
            if (inFlight)
                Replica.ResetSubscribers("this agent reconciled with the shared store past changes it had not received");
            Volatile.Write(ref _streamIndex, index);
        }
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
        Replica.ResetSubscribers("this agent could not reach the shared store for a while");
        await ResyncAsync("Redis came back", cancellationToken, lost: true).ConfigureAwait(false);
    }

    private enum InboundKind
    {
        Message,
        Accepted,
        SettleAnswered,
        Resync,
        Recover,
    }

    private sealed record Inbound(InboundKind Kind, ChangeMessage? Change = null, string? InstanceId = null, string? Reason = null, bool Lost = false)
    {
        public static Inbound Message(ChangeMessage change) => new(InboundKind.Message, Change: change);

        public static Inbound Accepted(string instanceId) => new(InboundKind.Accepted, InstanceId: instanceId);

        public static Inbound Resync(string reason, bool lost = false) => new(InboundKind.Resync, Reason: reason, Lost: lost);

        public static Inbound Settle() => new(InboundKind.SettleAnswered);

        public static Inbound Recover() => new(InboundKind.Recover);
    }
}

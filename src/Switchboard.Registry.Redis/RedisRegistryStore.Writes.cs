using System.Text.Json;
using StackExchange.Redis;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis;

public sealed partial class RedisRegistryStore
{
    /// <summary>This node's writes not yet echoed back on the channel, by instance id: remote changes to them are held back.</summary>
    private readonly Dictionary<string, PendingWrite> _pending = new(StringComparer.Ordinal);

    /// <summary>Writes waiting to be sent, in catalog order (Redis unreachable, or being written back).</summary>
    private readonly LinkedList<Outgoing> _outbox = new();

    /// <summary>Writes sent and not answered yet, in the order they were sent.</summary>
    private readonly LinkedList<Outgoing> _inflight = new();

    /// <summary>Lease renewals made while Redis was unreachable (hybrid), to write back.</summary>
    private readonly Dictionary<string, LeaseRenewal> _renewals = new(StringComparer.Ordinal);

    /// <summary>Sends lease renewals, those made concurrently in one script call.</summary>
    private readonly RenewalBatcher _renewer;

    /// <inheritdoc />
    public Task PersistAsync(StoreWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var item = new Outgoing(write);
        lock (_gate)
        {
            _pending[write.InstanceId] = new PendingWrite(item);
            if (_online && _outbox.Count == 0)
            {
                item.Node = _inflight.AddLast(item);
                Send(item, writeBack: false);
            }
            else if (_options.Hybrid)
            {
                _outbox.AddLast(item);
                item.Done.TrySetResult(); // accepted in memory; written back when Redis returns
            }
            else
            {
                _pending.Remove(write.InstanceId);
                item.Done.TrySetException(Unavailable());
            }
        }
        return item.Done.Task;
    }

    private RedisStoreUnavailableException Unavailable()
        => new($"Redis at {Endpoints} is unreachable ({_failure ?? "not connected"}); the change was not saved.");

    /// <summary>Sends one write; call under the gate so writes reach Redis in catalog order.</summary>
    private void Send(Outgoing item, bool writeBack)
    {
        var write = item.Write;
        Task<RedisResult> reply;
        try
        {
            Registry.Diagnostics.RegistryTelemetry.RoundTrip("redis", write.Instance is null ? "remove" : "put");
            reply = write.Instance is { } instance
                ? Db.ScriptEvaluateAsync(RedisScripts.Put,
                    [_keys.Index, _keys.Versions, _keys.Services, _keys.Tombstones, _keys.Instance(instance.InstanceId)],
                    PutArguments(write, instance, writeBack))
                : Db.ScriptEvaluateAsync(RedisScripts.Remove,
                    [_keys.Index, _keys.Versions, _keys.Services, _keys.Tombstones, _keys.Instance(write.InstanceId)],
                    [write.InstanceId, write.ServiceName, write.Type, write.Index, NodeId, writeBack ? "1" : "0", write.At.ToUnixTimeMilliseconds(), NowMs, _keys.ChannelName]);
        }
        catch (Exception ex) when (IsConnectionProblem(ex) || ex is RedisException)
        {
            reply = Task.FromException<RedisResult>(ex);
        }
        _ = CompleteAsync(item, reply);
    }

    private RedisValue[] PutArguments(StoreWrite write, Instances.ServiceInstance instance, bool writeBack)
    {
        var at = write.At.ToUnixTimeMilliseconds();
        var args = new List<RedisValue>(12 + instance.Checks.Count * 2)
        {
            instance.InstanceId, instance.ServiceName, JsonSerializer.Serialize(instance, RedisJsonContext.Default.ServiceInstance),
            write.Type, write.Index, NodeId, write.Registration ? "1" : "0", writeBack ? "1" : "0", at,
            instance.Ttl is { } ttl ? at + (long)ttl.TotalMilliseconds : 0, _keys.ChannelName,
        };
        foreach (var check in instance.Checks)
        {
            if (check.Spec is { Kind: Registration.HealthCheckKind.Ttl, Ttl: { } checkTtl })
            {
                args.Add(check.CheckId);
                args.Add(at + (long)checkTtl.TotalMilliseconds);
            }
        }
        return [.. args];
    }

    private async Task CompleteAsync(Outgoing item, Task<RedisResult> reply)
    {
        try
        {
            await HandleReplyAsync(item, reply).ConfigureAwait(false);
        }
        finally
        {
            item.Tracker?.TrySetResult();
        }
    }

    private async Task HandleReplyAsync(Outgoing item, Task<RedisResult> reply)
    {
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await reply.ConfigureAwait(false))!;
        }
        catch (Exception ex) when (IsConnectionProblem(ex))
        {
            OnSendFailed(item, ex);
            return;
        }
        catch (RedisException ex)
        {
            // The script itself failed (a key of the namespace holds foreign data): nothing was written.
            Log.WriteRefused(_logger, item.Write.InstanceId, Describe(ex));
            lock (_gate)
            {
                Detach(item);
                ForgetPending(item.Write);
            }
            item.Done.TrySetException(new RedisStoreUnavailableException($"Redis refused the change of {item.Write.InstanceId}: {Describe(ex)}", ex));
            _inbound.Writer.TryWrite(Inbound.Resync("a write was refused"));
            return;
        }
        var index = (long)result[0];
        var created = (long)result[1];
        var awaitsChannel = false;
        lock (_gate)
        {
            Detach(item);
            if (index > 0 && _pending.TryGetValue(item.Write.InstanceId, out var pending) && pending.Provisional == item.Write.Index)
            {
                _pending[item.Write.InstanceId] = pending with { Index = index, Created = created };
                awaitsChannel = true;
            }
            else if (index == 0)
            {
                ForgetPending(item.Write);
            }
        }
        if (index > 0)
        {
            // Acknowledged when this node's replica reaches the write in the shared order (its message on the channel, or a
            // reconciliation past it), so it becomes visible after every change Redis ordered before it, at its shared index.
            // Otherwise its message came first: the inbound loop took it out of the pending writes and settles it (maybe
            // still running; completing it here could make it visible before it has its shared index).
            if (awaitsChannel)
                _inbound.Writer.TryWrite(Inbound.Accepted(item.Write.InstanceId));
        }
        else
        {
            item.Done.TrySetResult();
            Log.Refused(_logger, item.Write.Type, item.Write.InstanceId, (string?)result[2] ?? "");
            _inbound.Writer.TryWrite(Inbound.Resync($"a {item.Write.Type} of {item.Write.InstanceId} was refused"));
        }
    }

    /// <summary>The connection failed under a write: hybrid keeps it (and every later one) in order for write-back; otherwise it fails.</summary>
    private void OnSendFailed(Outgoing item, Exception ex)
    {
        lock (_gate)
        {
            item.Failed = true;
            GoOffline(Describe(ex));
            if (_options.Hybrid)
            {
                // Everything still in flight goes back to the front of the outbox, in the order it was sent
                // (nothing when an earlier failure already moved this write back).
                for (var node = _inflight.Last; node is not null; node = _inflight.Last)
                {
                    _inflight.RemoveLast();
                    node.Value.Node = null;
                    _outbox.AddFirst(node.Value);
                }
            }
            else
            {
                Detach(item);
                ForgetPending(item.Write);
            }
        }
        if (_options.Hybrid)
            item.Done.TrySetResult();
        else
            item.Done.TrySetException(new RedisStoreUnavailableException($"Redis at {Endpoints} became unreachable ({Describe(ex)}); the change may not have been saved.", ex));
    }

    private void Detach(Outgoing item)
    {
        if (item.Node is { } node)
        {
            _inflight.Remove(node);
            item.Node = null;
        }
    }

    private void ForgetPending(StoreWrite write)
    {
        if (_pending.TryGetValue(write.InstanceId, out var pending) && pending.Provisional == write.Index)
            _pending.Remove(write.InstanceId);
    }

    /// <summary>Writes back everything kept while Redis was away, in order. Returns false when Redis went away again.</summary>
    private async Task<bool> WriteBackAsync()
    {
        while (true)
        {
            List<Outgoing> batch;
            lock (_gate)
            {
                if (_outbox.Count == 0)
                {
                    _online = true; // from here on writes go straight to Redis
                    _failure = null;
                    break;
                }
                batch = [.. _outbox];
                _outbox.Clear();
                foreach (var item in batch)
                {
                    item.Failed = false;
                    item.Tracker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    item.Node = _inflight.AddLast(item);
                    Send(item, writeBack: true);
                }
            }
            await Task.WhenAll(batch.Select(i => i.Tracker!.Task)).ConfigureAwait(false);
            if (batch.Any(i => i.Failed))
                return false; // Redis went away again: the writes are back in the outbox
            Log.WroteBack(_logger, batch.Count);
        }
        return await FlushRenewalsAsync().ConfigureAwait(false);
    }

    private async Task<bool> FlushRenewalsAsync()
    {
        List<LeaseRenewal> renewals;
        lock (_gate)
        {
            renewals = [.. _renewals.Values];
            _renewals.Clear();
        }
        try
        {
            await Task.WhenAll(renewals.Select(r => SendRenewalAsync(r))).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsConnectionProblem(ex))
        {
            lock (_gate)
            {
                foreach (var renewal in renewals)
                    KeepRenewal(renewal);
                GoOffline(Describe(ex));
            }
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> RenewAsync(LeaseRenewal renewal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(renewal);
        var nothingToRenew = renewal.LeaseExpiresAt is null && renewal.TtlChecks.Count == 0;
        lock (_gate)
        {
            if (!_online || _outbox.Count > 0)
            {
                // Even with nothing to renew: without hybrid mode, nothing is acknowledged while Redis cannot confirm it
                // (a re-registration of a lease-less instance whose first write failed must not answer success).
                if (!_options.Hybrid)
                    throw Unavailable();
                if (!nothingToRenew)
                    KeepRenewal(renewal);
                return true;
            }
        }
        if (nothingToRenew)
            return true;
        try
        {
            // Not cut short by the caller's token: the renewal is already on its way, and Redis' answer is bounded by the
            // connection's own timeout. (A cancellable wait would put one more task between every heartbeat and its answer.)
            return await SendRenewalAsync(renewal).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionProblem(ex))
        {
            lock (_gate)
            {
                GoOffline(Describe(ex));
                if (!_options.Hybrid)
                    throw new RedisStoreUnavailableException($"Redis at {Endpoints} is unreachable ({Describe(ex)}); the heartbeat was not saved.", ex);
                KeepRenewal(renewal);
            }
            return true;
        }
    }

    /// <summary>The most renewals one script call carries.</summary>
    internal const int RenewalBatchSize = 256;

    /// <summary>The most renewal calls out at once.</summary>
    internal const int RenewalCallsOut = 2;

    /// <summary>Renewals go through the batcher: concurrent ones share a script call; each is answered with Redis' own answer for it.</summary>
    private Task<bool> SendRenewalAsync(LeaseRenewal renewal) => _renewer.RenewAsync(renewal);

    /// <summary>How many script calls carried renewals so far.</summary>
    internal long RenewalCalls => _renewer.Calls;

    /// <summary>Sends renewals as one call of <see cref="RedisScripts.Renew"/>.</summary>
    private Task<RedisResult> SendRenewalsAsync(IReadOnlyList<LeaseRenewal> renewals)
    {
        // Renewals queued behind a call that lost the connection fail at once instead of each waiting out a timeout in turn.
        if (!_online)
            return Task.FromException<RedisResult>(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, _failure ?? "not connected", null, CommandStatus.WaitingToBeSent));
        var keys = new RedisKey[renewals.Count];
        var size = 0;
        foreach (var renewal in renewals)
            size += 2 + renewal.TtlChecks.Count * 2;
        var args = new RedisValue[size];
        var at = 0;
        for (var i = 0; i < renewals.Count; i++)
        {
            var renewal = renewals[i];
            keys[i] = _keys.Instance(renewal.InstanceId);
            args[at++] = renewal.LeaseExpiresAt?.ToUnixTimeMilliseconds() ?? 0;
            args[at++] = renewal.TtlChecks.Count;
            foreach (var check in renewal.TtlChecks)
            {
                args[at++] = check.CheckId;
                args[at++] = check.ExpiresAt.ToUnixTimeMilliseconds();
            }
        }
        Registry.Diagnostics.RegistryTelemetry.RoundTrip("redis", "renew");
        return Db.ScriptEvaluateAsync(RedisScripts.Renew, keys, args);
    }

    /// <summary>Merges a renewal into those waiting for write-back (latest deadlines win). Call under the gate.</summary>
    private void KeepRenewal(LeaseRenewal renewal)
    {
        if (!_renewals.TryGetValue(renewal.InstanceId, out var kept))
        {
            _renewals[renewal.InstanceId] = renewal;
            return;
        }
        var checks = kept.TtlChecks.ToDictionary(c => c.CheckId, StringComparer.Ordinal);
        foreach (var check in renewal.TtlChecks)
        {
            if (!checks.TryGetValue(check.CheckId, out var old) || old.ExpiresAt < check.ExpiresAt)
                checks[check.CheckId] = check;
        }
        var lease = kept.LeaseExpiresAt is { } a && renewal.LeaseExpiresAt is { } b ? (a > b ? a : b) : kept.LeaseExpiresAt ?? renewal.LeaseExpiresAt;
        _renewals[renewal.InstanceId] = new LeaseRenewal(renewal.InstanceId, lease, [.. checks.Values]);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<DateTimeOffset?>> ReadDeadlinesAsync(IReadOnlyList<DeadlineKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = _time.GetUtcNow();
        var notBefore = new DateTimeOffset(Math.Max(Volatile.Read(ref _expiryNotBefore), now.UtcTicks), TimeSpan.Zero);
        var answer = new DateTimeOffset?[keys.Count];
        if (!_online)
        {
            Array.Fill(answer, now + _options.LeaderLease);
            return answer;
        }
        try
        {
            var reads = keys.Select(k => Db.HashGetAsync(_keys.Instance(k.InstanceId), k.CheckId is null ? "lease" : "ttl:" + k.CheckId)).ToArray();
            await Task.WhenAll(reads).WaitAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < reads.Length; i++)
            {
                DateTimeOffset? shared = reads[i].Result.TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
                answer[i] = shared is { } s && s > notBefore ? s : notBefore > now ? notBefore : shared;
            }
        }
        catch (Exception ex) when (IsConnectionProblem(ex) || ex is RedisException)
        {
            GoOffline(Describe(ex));
            Array.Fill(answer, now + _options.ExpiryGraceAfterOutage + _options.LeaderLease);
        }
        return answer;
    }

    /// <summary>A write on its way to Redis.</summary>
    private sealed class Outgoing(StoreWrite write)
    {
        public StoreWrite Write { get; } = write;

        /// <summary>Completes when the write is acknowledged to the catalog (after <see cref="ICatalogReplica.Confirm"/> gave it its shared index).</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Its place in the in-flight list; null when not in flight.</summary>
        public LinkedListNode<Outgoing>? Node { get; set; }

        /// <summary>Completes when a write-back of it got an answer (or failed).</summary>
        public TaskCompletionSource? Tracker { get; set; }

        /// <summary>Whether its last sending failed for want of a connection.</summary>
        public bool Failed { get; set; }
    }

    /// <summary>This node's latest write of an instance not yet seen on the channel.</summary>
    /// <param name="Item">The write, whose acknowledgement waits for the replica to reach it in the shared order.</param>
    /// <param name="Index">The index Redis gave it, once answered.</param>
    /// <param name="Created">The create index Redis reported.</param>
    private readonly record struct PendingWrite(Outgoing Item, long Index = 0, long Created = 0)
    {
        /// <summary>The catalog's index for it.</summary>
        public long Provisional => Item.Write.Index;
    }
}

using System.Text.Json;
using StackExchange.Redis;
using Switchboard.Instances;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis;

public sealed partial class RedisRegistryStore
{
    private const int FetchBatch = 2048;

    /// <inheritdoc />
    /// <exception cref="RedisStoreUnavailableException">Redis cannot be reached or refused the connection (not in hybrid mode).</exception>
    public async Task<StoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        StoreSnapshot snapshot;
        try
        {
            await ConnectAsync(cancellationToken).ConfigureAwait(false);
            snapshot = await ReadSnapshotAsync(cancellationToken).ConfigureAwait(false);
            _online = true;
        }
        catch (Exception ex) when (_options.Hybrid && (ex is RedisStoreUnavailableException || IsConnectionProblem(ex)))
        {
            _online = true; // so that GoOffline records the transition
            GoOffline(ex is RedisStoreUnavailableException ? ex.Message : Describe(ex));
            Log.StartedDegraded(_logger, ex.Message);
            snapshot = StoreSnapshot.Empty;
        }
        catch (Exception ex) when (IsConnectionProblem(ex))
        {
            throw new RedisStoreUnavailableException($"cannot use Redis at {Endpoints}: {Describe(ex)}", ex);
        }
        _loops = Task.WhenAll(
            Task.Run(() => InboundLoopAsync(_stopping.Token), CancellationToken.None),
            Task.Run(() => TickLoopAsync(_stopping.Token), CancellationToken.None),
            Task.Run(() => ReconcileLoopAsync(_stopping.Token), CancellationToken.None),
            Task.Run(() => AuditAsync(snapshot, _stopping.Token), CancellationToken.None));
        return snapshot;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var config = RedisConnectionSettings.For(_options, "switchboard-" + NodeId);
        try
        {
            _redis = await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex)
        {
            var problem = $"cannot connect to Redis at {Endpoints}: {RedisStartFailure.Describe(ex, config.Ssl)}";
            if (!_options.Hybrid)
                throw new RedisStoreUnavailableException(problem, ex);
            // Hybrid: keep a multiplexer that retries in the background, and start degraded.
            config.AbortOnConnectFail = false;
            _redis = await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
            _db = _redis.GetDatabase();
            WatchSubscription();
            throw new RedisStoreUnavailableException(problem, ex);
        }
        _db = _redis.GetDatabase();
        WatchSubscription();
        // The subscription has its own connection, which may still be opening when the first one is up.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SubscribeAsync().ConfigureAwait(false);
                break;
            }
            catch (RedisConnectionException) when (attempt * SubscribeRetry < _options.ConnectTimeout)
            {
                await Task.Delay(SubscribeRetry, cancellationToken).ConfigureAwait(false); // a network retry, not catalog time
            }
        }
    }

    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromMilliseconds(100);

    private void WatchSubscription()
        => _redis!.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                // Messages published while it was down are lost: subscribers cannot be promised every change.
                _replica?.ResetSubscribers("this agent's subscription to the shared store's changes was interrupted");
                RequestResync("the change subscription reconnected", lost: true);
            }
        };

    /// <summary>Subscribes to the change channel once (StackExchange.Redis re-subscribes by itself after a reconnection).</summary>
    private async Task SubscribeAsync()
    {
        if (Volatile.Read(ref _subscribed))
            return;
        var queue = await _redis!.GetSubscriber().SubscribeAsync(_keys.Channel).ConfigureAwait(false);
        queue.OnMessage(message => OnChannelMessage(message.Message));
        Volatile.Write(ref _subscribed, true);
    }

    private bool _subscribed;

    /// <summary>Reads the global index and every instance; unreadable records are skipped with a warning.</summary>
    private async Task<StoreSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        Registry.Diagnostics.RegistryTelemetry.RoundTrip("redis", "snapshot");
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.Snapshot, [_keys.Index, _keys.Versions]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        var index = (long)result[0];
        var versions = ReadVersions((RedisResult[])result[1]!);
        var instances = await FetchAsync(versions.Keys, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _streamIndex, index);
        return new StoreSnapshot(index, [.. instances.Values]);
    }

    private static Dictionary<string, long> ReadVersions(RedisResult[] pairs)
    {
        var versions = new Dictionary<string, long>(pairs.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
            versions[(string)pairs[i]!] = (long)(double)pairs[i + 1];
        return versions;
    }

    /// <summary>
    /// Reads the records of <paramref name="ids"/> with their shared indexes; ids without a readable record are left out
    /// with a warning. <see cref="FetchBatch"/> reads are pipelined at a time, a few batches in flight, each decoded on a
    /// thread of its own while the connection reads the next (a million instances: one round trip each would be minutes).
    /// </summary>
    private async Task<Dictionary<string, ServiceInstance>> FetchAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var batches = ids.Chunk(FetchBatch).Select((batch, number) => (Batch: batch, Number: number)).ToList();
        var decoded = new ServiceInstance?[batches.Count][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = FetchesInFlight, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(batches, options, async (item, token) =>
        {
            var reads = item.Batch.Select(id => Db.HashGetAsync(_keys.Instance(id), RecordFields)).ToArray();
            var instances = new ServiceInstance?[reads.Length];
            for (var i = 0; i < reads.Length; i++)
            {
                try
                {
                    instances[i] = Decode(item.Batch[i], await reads[i].WaitAsync(token).ConfigureAwait(false));
                }
                catch (RedisServerException ex)
                {
                    Log.SkippedKey(_logger, _keys.Instance(item.Batch[i]).ToString(), ex.Message);
                }
            }
            decoded[item.Number] = instances;
        }).ConfigureAwait(false);
        var found = new Dictionary<string, ServiceInstance>(decoded.Sum(d => d.Length), StringComparer.Ordinal);
        foreach (var batch in decoded)
        {
            foreach (var instance in batch)
            {
                if (instance is not null)
                    found[instance.InstanceId] = instance;
            }
        }
        return found;
    }

    /// <summary>How many batches of reads <see cref="FetchAsync"/> keeps in flight.</summary>
    private const int FetchesInFlight = 4;

    private static readonly RedisValue[] RecordFields = ["record", "index", "created"];

    private ServiceInstance? Decode(string id, RedisValue[] fields)
    {
        if (fields.Length < 3 || fields[0].IsNull)
        {
            Skip("listed in the versions set but has no record");
            return null;
        }
        ServiceInstance? instance;
        var record = ((ReadOnlyMemory<byte>)fields[0]).Span;
        if (!InstanceJsonReader.TryRead(record, out instance)) // the shape the scripts store, read straight into a compacted instance
        {
            try
            {
                instance = JsonSerializer.Deserialize(record, RedisJsonContext.Default.ServiceInstance) is { } read
                    ? Registry.Catalog.Compaction.InstanceCompaction.Compact(read)
                    : null;
            }
            catch (JsonException ex)
            {
                Skip("its record is not valid JSON: " + ex.Message);
                return null;
            }
        }
        if (instance is null || instance.InstanceId != id || string.IsNullOrEmpty(instance.ServiceName))
        {
            Skip("its record is not an instance with this id");
            return null;
        }
        if (!fields[1].TryParse(out long modify) || !fields[2].TryParse(out long created))
        {
            Skip("its index fields are not numbers");
            return null;
        }
        return instance.ModifyIndex == modify && instance.CreateIndex == created
            ? instance
            : instance with { ModifyIndex = modify, CreateIndex = created }; // a copy keeps the shared values

        // The key's name only when a record is skipped: a million-instance fetch would otherwise make a million of them.
        void Skip(string reason) => Log.SkippedKey(_logger, _keys.Instance(id).ToString(), reason);
    }

    /// <summary>Warns once at start about keys under the namespace that are not the registry's.</summary>
    private async Task AuditAsync(StoreSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (_redis is null || !_online)
            return;
        var known = snapshot.Instances.Select(i => i.InstanceId).ToHashSet(StringComparer.Ordinal);
        var warned = 0;
        try
        {
            foreach (var server in _redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                foreach (var pattern in new[] { _keys.Prefix + "*", _keys.Namespace + ":*" })
                {
                    await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000).WithCancellation(cancellationToken).ConfigureAwait(false))
                    {
                        var why = Classify(key.ToString(), known);
                        if (why is null || why == OrphanInstance && await IsListedAsync(key.ToString()).ConfigureAwait(false))
                            continue; // registered since the snapshot
                        if (++warned <= 20)
                            Log.SkippedKey(_logger, key.ToString(), why);
                    }
                }
            }
        }
        catch (Exception ex) when (IsConnectionProblem(ex) || ex is RedisServerException or RedisCommandException)
        {
            Log.AuditFailed(_logger, Describe(ex));
        }
        if (warned > 20)
            Log.ManyForeignKeys(_logger, warned, _keys.Prefix);
    }

    private const string OrphanInstance = "an instance key that is not listed in the versions set (foreign, or left by an interrupted write)";

    private async Task<bool> IsListedAsync(string key)
        => await Db.SortedSetScoreAsync(_keys.Versions, key[(_keys.Prefix.Length + RedisKeys.InstancePart.Length)..]).ConfigureAwait(false) is not null;

    private string? Classify(string key, HashSet<string> known)
    {
        if (!key.StartsWith(_keys.Prefix, StringComparison.Ordinal))
            return $"it is under the namespace but outside the registry's key space {_keys.Prefix}*";
        var rest = key[_keys.Prefix.Length..];
        if (Array.IndexOf(RedisKeys.Fixed, rest) >= 0 || rest == "changes")
            return null;
        if (rest.StartsWith(RedisKeys.InstancePart, StringComparison.Ordinal))
            return known.Contains(rest[RedisKeys.InstancePart.Length..]) ? null : OrphanInstance;
        return "not a key the registry writes";
    }
}

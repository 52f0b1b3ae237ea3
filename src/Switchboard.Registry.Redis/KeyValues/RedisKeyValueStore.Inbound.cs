using StackExchange.Redis;
using Switchboard.Registry.KeyValues;

namespace Switchboard.Registry.Redis.KeyValues;

public sealed partial class RedisKeyValueStore
{
    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var config = RedisConnectionSettings.For(_options, "switchboard-kv");
        ConnectionMultiplexer redis;
        try
        {
            redis = await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex)
        {
            throw new RedisStoreUnavailableException($"cannot connect to Redis for the key/value store: {RedisStartFailure.Describe(ex, config.Ssl)}", ex);
        }
        // A message published while the subscription was down is lost: read everything again once it is back.
        redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
                _inbound.Writer.TryWrite(null);
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(_keys.KvChannel).ConfigureAwait(false);
                queue.OnMessage(message => _inbound.Writer.TryWrite((byte[]?)message.Message ?? []));
                break;
            }
            catch (RedisConnectionException ex) when (attempt * SubscribeRetry < _options.ConnectTimeout)
            {
                Log.ReloadFailed(_logger, ex.Message);
                await Task.Delay(SubscribeRetry, cancellationToken).ConfigureAwait(false); // the subscription connection is still opening
            }
            catch (RedisConnectionException ex)
            {
                await redis.DisposeAsync().ConfigureAwait(false);
                throw new RedisStoreUnavailableException($"cannot subscribe to {_keys.KvChannelName}: {FirstLine(ex.Message)}", ex);
            }
        }
        _redis = redis;
    }

    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromMilliseconds(100);

    /// <summary>Applies the change messages one at a time, in order; a null item (or anything unexpected) reads everything again.</summary>
    private async Task InboundLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _inbound.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var reload = false;
            while (reader.TryRead(out var payload))
                reload |= payload is null || !Apply(payload);
            while (reload && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (_redis is null)
                        await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    await ReloadAsync(cancellationToken).ConfigureAwait(false);
                    reload = false;
                }
                catch (Exception ex) when (ex is RedisStoreUnavailableException or RedisConnectionException or RedisTimeoutException or RedisServerException)
                {
                    Log.ReloadFailed(_logger, FirstLine(ex.Message));
                    await Task.Delay(RetryDelay, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Applies one message; false when the node must read everything again (a gap, or a message it cannot read).</summary>
    private bool Apply(byte[] payload)
    {
        var message = KeyValueMessage.Parse(payload);
        if (message is null)
        {
            Log.SkippedMessage(_logger, _keys.KvChannelName);
            return false;
        }
        var last = Interlocked.Read(ref _last);
        if (message.Index <= last)
            return true; // already in what the node read
        if (message.Before != last)
        {
            Log.Gap(_logger, last, message.Before);
            return false;
        }
        switch (message.Kind)
        {
            case 'p':
                Mirror.Put(message.Entry!);
                break;
            case 'd':
                Mirror.Delete(message.Key, message.Index);
                break;
            default:
                Mirror.DeleteTree(message.Key, message.Index);
                break;
        }
        Advance(message.Index);
        return true;
    }

    /// <summary>
    /// Reads every entry and the index in one transaction and replaces the mirror with them. First raises Redis's index to
    /// the mirror's, so a Redis that lost its data never hands out an index the node has already shown.
    /// </summary>
    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var db = (_redis ?? throw new RedisStoreUnavailableException("not connected")).GetDatabase();
        try
        {
            if (Mirror.Index > 0)
                await db.ScriptEvaluateAsync(RedisKeyValueScripts.RaiseIndex, [_keys.KvIndex], [Number(Mirror.Index)]).WaitAsync(cancellationToken).ConfigureAwait(false);
            var transaction = db.CreateTransaction();
            var indexRead = transaction.StringGetAsync(_keys.KvIndex);
            var valuesRead = transaction.HashGetAllAsync(_keys.KvValues);
            var metaRead = transaction.HashGetAllAsync(_keys.KvMeta);
            if (!await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false))
                throw new RedisStoreUnavailableException("the read of the key/value store was not executed");
            var index = (long?)await indexRead.ConfigureAwait(false) ?? 0;
            var values = (await valuesRead.ConfigureAwait(false)).ToDictionary(e => (string)e.Name!, e => (byte[])e.Value!, StringComparer.Ordinal);
            var entries = new List<KeyValueEntry>(values.Count);
            foreach (var meta in await metaRead.ConfigureAwait(false))
            {
                var key = (string)meta.Name!;
                var parts = ((string?)meta.Value ?? "").Split(' ');
                if (parts.Length != 3 || !long.TryParse(parts[0], out var flags) || !long.TryParse(parts[1], out var create)
                    || !long.TryParse(parts[2], out var modify) || !values.TryGetValue(key, out var value))
                {
                    Log.SkippedEntry(_logger, key);
                    continue;
                }
                entries.Add(new KeyValueEntry(key, value, flags, create, modify));
            }
            Mirror.Reset(entries, index);
            Advance(index);
            Log.Reloaded(_logger, entries.Count, index);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or RedisServerException)
        {
            throw new RedisStoreUnavailableException($"cannot read the key/value store from Redis: {FirstLine(ex.Message)}", ex);
        }
    }
}

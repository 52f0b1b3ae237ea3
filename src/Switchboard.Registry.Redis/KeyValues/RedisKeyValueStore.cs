using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Registry.KeyValues;

namespace Switchboard.Registry.Redis.KeyValues;

/// <summary>
/// The key/value store on Redis, shared by every node of the namespace: Redis holds the truth (<c>{ns}:kv:*</c>), Lua
/// scripts decide <c>cas</c> and take the key/value index atomically, and each node's <see cref="KeyValueMirror"/> follows
/// the change channel in index order. A message whose <c>before</c> index is not the last one applied (a message lost),
/// and a reconnection of the subscription, make the node read everything again. Uses its own connection.
/// </summary>
/// <remarks>
/// A write returns once this node's mirror shows it (its message came back), so a node reads its own writes and shows
/// every change in index order. In hybrid mode the catalog keeps working without Redis, but key/value writes are refused
/// (503) until Redis is back: there is no write-back for them.
/// </remarks>
public sealed partial class RedisKeyValueStore : IKeyValueStore
{
    /// <summary>How long a write waits for its own change message before showing the change itself and reading everything again.</summary>
    internal static readonly TimeSpan OwnMessageTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The pause before a failed reload (or connection, in hybrid mode) is tried again.</summary>
    internal static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly RedisStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisKeyValueStore> _logger;
    private readonly RedisKeys _keys;
    private readonly RedisKey[] _scriptKeys;
    private readonly Channel<byte[]?> _inbound = Channel.CreateUnbounded<byte[]?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly SortedList<long, TaskCompletionSource> _waiters = [];
    private ConnectionMultiplexer? _redis;
    private Task _loop = Task.CompletedTask;
    private long _last;
    private int _disposed;

    /// <summary>Creates the store; nothing connects before <see cref="LoadAsync"/>.</summary>
    public RedisKeyValueStore(IOptions<RedisStoreOptions> options, TimeProvider timeProvider, ILogger<RedisKeyValueStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        _keys = new RedisKeys(_options.Namespace);
        _scriptKeys = [_keys.KvIndex, _keys.KvKeys, _keys.KvValues, _keys.KvMeta];
    }

    /// <inheritdoc />
    public string Kind => "redis";

    /// <inheritdoc />
    public KeyValueMirror Mirror { get; } = new();

    /// <summary>The index of the last change this node applied from the channel (or read in full).</summary>
    internal long AppliedIndex => Interlocked.Read(ref _last);

    /// <inheritdoc />
    /// <exception cref="RedisStoreUnavailableException">Redis cannot be reached (not in hybrid mode, which starts empty and keeps trying).</exception>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisStoreUnavailableException ex) when (_options.Hybrid)
        {
            Log.StartedEmpty(_logger, ex.Message);
        }
        _loop = Task.Run(() => InboundLoopAsync(_stopping.Token), CancellationToken.None);
        if (_redis is null)
            _inbound.Writer.TryWrite(null);
    }

    /// <inheritdoc />
    /// <exception cref="RedisStoreUnavailableException">Redis cannot be reached; the change may or may not have been made.</exception>
    public async Task<KvWriteResult> PutAsync(string key, byte[] value, long flags, long? cas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var result = await EvaluateAsync(RedisKeyValueScripts.Put, [key, value, Number(flags), cas is { } c ? Number(c) : "", _keys.KvChannelName], key, cancellationToken).ConfigureAwait(false);
        var index = (long)result[1];
        if ((long)result[0] != 1)
            return new KvWriteResult(false, index);
        await ShownAsync(index, new KeyValueEntry(key, value, flags, (long)result[2], index), null, cancellationToken).ConfigureAwait(false);
        return new KvWriteResult(true, index);
    }

    /// <inheritdoc />
    /// <exception cref="RedisStoreUnavailableException">Redis cannot be reached; the change may or may not have been made.</exception>
    public async Task<KvWriteResult> DeleteAsync(string key, bool recurse, long? cas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var result = recurse
            ? await EvaluateAsync(RedisKeyValueScripts.DeleteTree, [key, _keys.KvChannelName], key, cancellationToken).ConfigureAwait(false)
            : await EvaluateAsync(RedisKeyValueScripts.Delete, [key, cas is { } c ? Number(c) : "", _keys.KvChannelName], key, cancellationToken).ConfigureAwait(false);
        var index = (long)result[1];
        if ((long)result[0] != 1)
            return new KvWriteResult(false, index);
        if ((long)result[2] > 0)
            await ShownAsync(index, null, (key, recurse), cancellationToken).ConfigureAwait(false);
        return new KvWriteResult(true, index);
    }

    private async Task<RedisResult[]> EvaluateAsync(string script, RedisValue[] args, string key, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
            throw new RedisStoreUnavailableException("The key/value store is closed (the agent is stopping); nothing was written.", null, RetryDelay);
        var redis = _redis ?? throw new RedisStoreUnavailableException("Redis has not been reached since this agent started; key/value writes wait for it", null, RetryDelay);
        try
        {
            return (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(script, _scriptKeys, args).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or RedisServerException or ObjectDisposedException)
        {
            Log.WriteFailed(_logger, key, ex.Message);
            throw new RedisStoreUnavailableException($"cannot write key '{key}' to Redis: {FirstLine(ex.Message)}", ex, RetryDelay);
        }
    }

    /// <summary>
    /// Waits until this node's mirror shows the change at <paramref name="index"/> through the channel, so changes appear in
    /// index order; if its message does not come back in time, shows it directly and reads everything again.
    /// </summary>
    private async Task ShownAsync(long index, KeyValueEntry? put, (string Key, bool Tree)? delete, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (Interlocked.Read(ref _last) >= index)
                return;
            if (!_waiters.TryGetValue(index, out waiter!))
                _waiters[index] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        try
        {
            await waiter.Task.WaitAsync(OwnMessageTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            if (put is not null)
                Mirror.Put(put);
            else if (delete is { Tree: true } tree)
                Mirror.DeleteTree(tree.Key, index);
            else if (delete is { } one)
                Mirror.Delete(one.Key, index);
            Log.OwnMessageLate(_logger, index);
            _inbound.Writer.TryWrite(null);
        }
    }

    private void Advance(long index)
    {
        List<TaskCompletionSource> done = [];
        lock (_gate)
        {
            Interlocked.Exchange(ref _last, index);
            while (_waiters.Count > 0 && _waiters.Keys[0] <= index)
            {
                done.Add(_waiters.Values[0]);
                _waiters.RemoveAt(0);
            }
        }
        foreach (var waiter in done)
            waiter.TrySetResult();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _inbound.Writer.TryComplete();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        if (Interlocked.Exchange(ref _redis, null) is { } redis)
        {
            await redis.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await redis.DisposeAsync().ConfigureAwait(false);
        }
        _stopping.Dispose();
    }
}

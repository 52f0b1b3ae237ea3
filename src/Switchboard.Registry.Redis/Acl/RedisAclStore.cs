using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Registry.Acl;

namespace Switchboard.Registry.Redis.Acl;

/// <summary>
/// Keeps the ACL state in Redis, shared by every node of the namespace: one hash <c>{ns}:acl</c> holding the state's JSON
/// (secrets only as SHA-256 hashes) and its version, replaced by a compare-and-set script that publishes the new version
/// on <c>{ns}:acl:changes</c>, so every node reloads. A node started later reads it at load. Uses its own connection.
/// </summary>
public sealed partial class RedisAclStore : IAclStore, IAsyncDisposable
{
    private static readonly RedisValue[] Fields = ["state", "version"];

    private readonly RedisStoreOptions _options;
    private readonly ILogger<RedisAclStore> _logger;
    private readonly RedisKeys _keys;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _redis;

    /// <summary>Creates the store; nothing connects before the first load or save.</summary>
    public RedisAclStore(IOptions<RedisStoreOptions> options, ILogger<RedisAclStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
        _keys = new RedisKeys(_options.Namespace);
    }

    /// <inheritdoc />
    public event EventHandler? Changed;

    /// <inheritdoc />
    /// <exception cref="RedisStoreUnavailableException">Redis cannot be reached.</exception>
    /// <exception cref="InvalidDataException">The key does not hold a readable ACL state (names the key).</exception>
    public async Task<AclState> LoadAsync(CancellationToken cancellationToken)
    {
        var db = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        RedisValue[] fields;
        try
        {
            fields = await db.HashGetAsync(_keys.Acl, Fields).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            throw Unavailable("read", ex);
        }
        catch (RedisServerException ex)
        {
            throw new InvalidDataException($"Redis key {_keys.Acl} does not hold the ACL state: {ex.Message}", ex);
        }
        if (fields[0].IsNull)
            return AclState.Empty;
        try
        {
            var state = JsonSerializer.Deserialize((string)fields[0]!, AclJsonContext.Default.AclState)
                ?? throw new InvalidDataException($"Redis key {_keys.Acl} holds a null ACL state");
            return fields[1].TryParse(out long version) && version == state.Version
                ? state
                : throw new InvalidDataException($"Redis key {_keys.Acl}: its version field does not match its state");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Redis key {_keys.Acl} does not hold a valid ACL state: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    /// <exception cref="RedisStoreUnavailableException">Redis cannot be reached; nothing was saved, or it may have been.</exception>
    public async Task<bool> SaveAsync(AclState state, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var db = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var json = JsonSerializer.Serialize(state, AclJsonContext.Default.AclState);
        try
        {
            var saved = await db.ScriptEvaluateAsync(RedisAclScripts.Save, [_keys.Acl],
                [expectedVersion, state.Version, json, _keys.AclChannel.ToString()]).WaitAsync(cancellationToken).ConfigureAwait(false);
            return (long)saved == 1;
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            throw Unavailable("save", ex);
        }
    }

    private async Task<IDatabase> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _redis) is { } connected)
            return connected.GetDatabase();
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_redis is null)
            {
                var config = RedisConnectionSettings.For(_options, "switchboard-acl");
                ConnectionMultiplexer redis;
                try
                {
                    redis = await ConnectionMultiplexer.ConnectAsync(config).WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (RedisConnectionException ex)
                {
                    throw new RedisStoreUnavailableException($"cannot connect to Redis for the ACL state: {RedisStartFailure.Describe(ex, config.Ssl)}", ex);
                }
                var changes = await SubscribeAsync(redis, cancellationToken).ConfigureAwait(false);
                changes.OnMessage(_ => Changed?.Invoke(this, EventArgs.Empty));
                // A change announced while the subscription was down would be missed: reload after it comes back.
                redis.ConnectionRestored += (_, e) =>
                {
                    if (e.ConnectionType == ConnectionType.Subscription)
                        Changed?.Invoke(this, EventArgs.Empty);
                };
                Volatile.Write(ref _redis, redis);
            }
            return _redis!.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>
    /// Subscribes to the change channel. The connection may be up before its subscription connection is (the multiplexer
    /// does not wait for every connection at connect): a few short retries, then the store counts as unreachable (the
    /// ACL service retries the load in the background).
    /// </summary>
    private async Task<ChannelMessageQueue> SubscribeAsync(ConnectionMultiplexer redis, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await redis.GetSubscriber().SubscribeAsync(_keys.AclChannel).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RedisConnectionException ex) when (attempt < SubscribeAttempts)
            {
                Log.Unavailable(_logger, "subscribe", ex.Message);
                await Task.Delay(SubscribeRetryDelay, cancellationToken).ConfigureAwait(false); // a reconnect, not time in the model
            }
            catch (RedisConnectionException ex)
            {
                await redis.DisposeAsync().ConfigureAwait(false);
                throw new RedisStoreUnavailableException($"cannot subscribe to {_keys.AclChannel} for ACL changes: {ex.Message}", ex);
            }
        }
    }

    private const int SubscribeAttempts = 20;

    private static readonly TimeSpan SubscribeRetryDelay = TimeSpan.FromMilliseconds(100);

    private RedisStoreUnavailableException Unavailable(string what, Exception ex)
    {
        Log.Unavailable(_logger, what, ex.Message);
        return new RedisStoreUnavailableException($"cannot {what} the ACL state in Redis ({_keys.Acl}): {ex.Message}", ex, TimeSpan.FromSeconds(1));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _redis, null) is { } redis)
        {
            await redis.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await redis.DisposeAsync().ConfigureAwait(false);
        }
        _connecting.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Cannot {What} the ACL state in Redis: {Reason}")]
        public static partial void Unavailable(ILogger logger, string what, string reason);
    }
}

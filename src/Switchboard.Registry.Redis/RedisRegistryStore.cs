using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Api;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis;

/// <summary>
/// The shared store on Redis: Redis holds every instance, the global and per-service indexes, leases and tombstones;
/// each node's catalog is a replica kept current through the namespace's pub/sub channel and reconciled periodically.
/// One node at a time (the holder of a leader lease in Redis) runs expiry and active checks.
/// </summary>
/// <remarks>
/// <para>Writes are atomic Lua scripts that take the next global index and publish the change; a node applies its own
/// writes at once and relabels them with the index Redis gave them. Messages carry the index before theirs, so a node
/// that missed one notices the gap and reconciles; a full comparison also runs every
/// <see cref="RedisStoreOptions.ReconcileInterval"/>.</para>
/// <para>In hybrid mode an unreachable Redis degrades the node instead of failing it: writes and lease renewals are kept
/// in order in memory and written back when Redis returns (a removal leaves a tombstone, so a stale write-back cannot
/// bring an instance back), then the node reconciles.</para>
/// </remarks>
public sealed partial class RedisRegistryStore : ISharedRegistryStore
{
    private readonly RedisStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisRegistryStore> _logger;
    private readonly RedisKeys _keys;
    private readonly Lock _gate = new();
    private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private ConnectionMultiplexer? _redis;
    private IDatabase? _db;
    private ICatalogReplica? _replica;
    private Task _loops = Task.CompletedTask;
    private volatile bool _online;
    private long _offlineSinceTicks;
    private volatile string? _failure;
    private int _disposed;
    private readonly Func<string, bool> _isHeld;

    /// <summary>Creates the store; nothing connects before <see cref="LoadAsync"/>.</summary>
    public RedisRegistryStore(IOptions<RedisStoreOptions> options, TimeProvider timeProvider, ILogger<RedisRegistryStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        _keys = new RedisKeys(_options.Namespace);
        _isHeld = IsHeld;
        _renewer = new RenewalBatcher(SendRenewalsAsync, RenewalBatchSize, RenewalCallsOut);
        NodeId = string.IsNullOrWhiteSpace(_options.NodeId)
            ? $"{Environment.MachineName}-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}".ToLowerInvariant()
            : _options.NodeId;
    }

    /// <inheritdoc />
    public string Kind => "redis";

    /// <inheritdoc />
    public string NodeId { get; }

    /// <summary>The namespace in use.</summary>
    public string Namespace => _options.Namespace;

    /// <summary>The endpoints of the connection string (without the password), and the Sentinel service when there is one, for messages.</summary>
    public string Endpoints
    {
        get
        {
            var config = ConfigurationOptions.Parse(_options.ConnectionString);
            var endpoints = string.Join(",", config.EndPoints.Select(e => e.ToString()));
            return config.ServiceName is { Length: > 0 } service ? $"{endpoints} (Sentinel service {service})" : endpoints;
        }
    }

    /// <summary>Whether hybrid mode is on.</summary>
    public bool Hybrid => _options.Hybrid;

    /// <summary>Whether Redis can be reached now (and everything written while it could not has been written back).</summary>
    public bool IsOnline => _online;

    /// <inheritdoc />
    public StoreHealth Health
    {
        get
        {
            if (_online)
                return new StoreHealth(Kind, "ok", null);
            int queued;
            lock (_gate)
                queued = _outbox.Count;
            var since = new DateTimeOffset(Volatile.Read(ref _offlineSinceTicks), TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            var why = _failure ?? "not connected";
            return new StoreHealth(Kind, "degraded", _options.Hybrid
                ? $"Redis unreachable since {since} ({why}); serving from memory, {queued} changes waiting to be written back; expiry and checks paused"
                : $"Redis unreachable since {since} ({why}); writes fail until it returns; expiry and checks paused");
        }
    }

    /// <inheritdoc />
    public void Attach(ICatalogReplica replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        _replica = replica;
    }

    private ICatalogReplica Replica => _replica ?? throw new InvalidOperationException("The catalog did not attach itself to the store.");

    private IDatabase Db => _db ?? throw new InvalidOperationException("The store is not loaded.");

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void GoOffline(string reason)
    {
        if (Volatile.Read(ref _disposed) != 0)
            return;
        var wasOnline = _online;
        _failure = reason;
        Volatile.Write(ref _leaderUntil, 0);
        if (!wasOnline)
            return;
        _online = false;
        _inbound.Writer.TryWrite(Inbound.Settle());
        Volatile.Write(ref _offlineSinceTicks, _time.GetUtcNow().UtcTicks);
        Log.WentOffline(_logger, reason, _options.Hybrid);
    }

    private static bool IsConnectionProblem(Exception ex)
        => ex is RedisConnectionException or RedisTimeoutException or TimeoutException or ObjectDisposedException
            || ex is AggregateException { InnerException: { } inner } && IsConnectionProblem(inner);

    /// <summary>A short reason: the first line of the message, without StackExchange.Redis's diagnostic counters.</summary>
    private static string Describe(Exception ex)
    {
        if (ex is AggregateException { InnerException: { } inner })
            ex = inner;
        if (ex is RedisConnectionException connection)
        {
            return connection.FailureType switch
            {
                ConnectionFailureType.UnableToConnect or ConnectionFailureType.UnableToResolvePhysicalConnection => "connection refused or unreachable",
                ConnectionFailureType.SocketClosed or ConnectionFailureType.SocketFailure => "connection lost",
                ConnectionFailureType.AuthenticationFailure => "authentication failed",
                _ => "connection failed",
            } + $" ({connection.FailureType})";
        }
        if (ex is RedisTimeoutException or TimeoutException)
            return "timed out";
        var message = ex.Message;
        foreach (var cut in new[] { "\n", "\r", ", mc: ", " (outbound=", ", command=" })
        {
            var end = message.IndexOf(cut, StringComparison.Ordinal);
            if (end > 0)
                message = message[..end];
        }
        return message;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _inbound.Writer.TryComplete();
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        int unsent;
        lock (_gate)
            unsent = _outbox.Count;
        if (unsent > 0)
            Log.Unsent(_logger, unsent);
        if (_redis is not null)
        {
            if (_online)
            {
                try
                {
                    await Db.ScriptEvaluateAsync(RedisScripts.Resign, [_keys.Leader], [NodeId]).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsConnectionProblem(ex) || ex is RedisServerException)
                {
                    // the lease runs out by itself
                }
            }
            await _redis.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
        _stopping.Dispose();
    }
}

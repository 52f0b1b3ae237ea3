using StackExchange.Redis;

namespace Switchboard.Registry.Redis;

public sealed partial class RedisRegistryStore
{
    /// <summary>The timestamp (<see cref="TimeProvider.GetTimestamp"/>) until which this node may act as leader; 0 when it is not.</summary>
    private long _leaderUntil;

    /// <summary>No shared deadline ends before this (UTC ticks): set when Redis comes back after an outage.</summary>
    private long _expiryNotBefore;

    /// <summary>The global index seen by the previous tick: when the channel has not reached it by the next tick, a message was lost.</summary>
    private long _observedIndex;

    /// <inheritdoc />
    public long ReplicationLag => Math.Max(0, Volatile.Read(ref _observedIndex) - Volatile.Read(ref _streamIndex));

    private long _lastPurgeMs;

    /// <inheritdoc />
    public bool RunsDeadlines => _online && _time.GetTimestamp() < Volatile.Read(ref _leaderUntil);

    /// <summary>The node holding the leader lease, as of the last tick.</summary>
    public string? Leader { get; private set; }

    private TimeSpan TickInterval => _options.LeaderLease / 3;

    private async Task TickLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TickInterval, _time);
        try
        {
            do
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>
    /// One heartbeat of the node towards Redis: takes or keeps the leader lease, notices an outage or a return, and a message
    /// lost since the previous tick; the leader also forgets old tombstones.
    /// </summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        RedisResult[] result;
        try
        {
            Registry.Diagnostics.RegistryTelemetry.RoundTrip("redis", "lead");
            result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.Lead, [_keys.Leader, _keys.Index],
                [NodeId, (long)_options.LeaderLease.TotalMilliseconds]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (IsConnectionProblem(ex))
        {
            lock (_gate)
                GoOffline(Describe(ex));
            return;
        }
        catch (RedisServerException ex)
        {
            Log.TickFailed(_logger, ex.Message);
            Volatile.Write(ref _leaderUntil, 0);
            return;
        }
        var leads = (long)result[0] == 1;
        var global = (long)result[1];
        Leader = (string?)result[2];
        if (!_online)
        {
            RequestRecover();
            return;
        }
        var wasLeader = Volatile.Read(ref _leaderUntil) != 0;
        Volatile.Write(ref _leaderUntil, leads ? started + (long)(_options.LeaderLease.TotalSeconds * 0.75 * _time.TimestampFrequency) : 0);
        if (leads != wasLeader)
            Log.Leadership(_logger, NodeId, leads);
        if (Volatile.Read(ref _observedIndex) > Volatile.Read(ref _streamIndex))
            RequestResync("a change message was lost", lost: true);
        Volatile.Write(ref _observedIndex, global);
        if (leads)
            await PurgeTombstonesAsync().ConfigureAwait(false);
    }

    private async Task PurgeTombstonesAsync()
    {
        var now = NowMs;
        if (now - _lastPurgeMs < 60_000)
            return;
        _lastPurgeMs = now;
        try
        {
            await Db.SortedSetRemoveRangeByScoreAsync(_keys.Tombstones, double.NegativeInfinity, now - (long)_options.TombstoneRetention.TotalMilliseconds).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionProblem(ex) || ex is RedisServerException)
        {
            Log.TickFailed(_logger, Describe(ex));
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReconcileInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                RequestResync("periodic reconciliation");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}

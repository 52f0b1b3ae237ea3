namespace Switchboard.LoadHarness;

/// <summary>What every section of one run shares: the settings, the programs it starts, the report, the Redis server and a scratch folder.</summary>
internal sealed class Harness(HarnessSettings settings, string cli, string self, Report report, RedisServer redis, string scratch)
{
    public HarnessSettings Settings { get; } = settings;

    public Report Report { get; } = report;

    /// <summary>The redis-server of this run (agents on Redis use a namespace each).</summary>
    public RedisServer Redis { get; } = redis;

    /// <summary>A folder for data directories and scripts, deleted at the end of the run.</summary>
    public string Scratch { get; } = scratch;

    /// <summary>Starts the real <c>switchboard agent --port 0</c> with <paramref name="args"/>.</summary>
    public Task<ChildProcess> StartAgentAsync(params string[] args) => ChildProcess.StartListeningAsync(cli, ["agent", "--port", "0", .. args]);

    /// <summary>Starts the agent on an existing data folder, waiting up to ten minutes for it to load (restart-time measurements).</summary>
    public Task<ChildProcess> RestartAgentAsync(string dataDirectory) => ChildProcess.StartListeningAsync(TimeSpan.FromMinutes(10), cli, "agent", "--port", "0", "--data-dir", dataDirectory);

    /// <summary>Starts the real <c>switchboard agent --port 0</c> with <paramref name="args"/> and <paramref name="environment"/> (configuration keys such as <c>Switchboard__Limits__...</c>).</summary>
    public Task<ChildProcess> StartAgentAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
        => ChildProcess.StartListeningAsync(cli, environment, ["agent", "--port", "0", .. args]);

    /// <summary>Starts an agent on this run's Redis, in <paramref name="redisNamespace"/>.</summary>
    public Task<ChildProcess> StartRedisAgentAsync(string redisNamespace) => StartAgentAsync("--store", "redis", "--redis", Redis.Connection, "--redis-namespace", redisNamespace);

    /// <summary>Starts one backend process (bare Kestrel answering <c>GET /ping</c>).</summary>
    public Task<ChildProcess> StartBackendAsync() => ChildProcess.StartListeningAsync(self, "backend");

    /// <summary>Starts the bare Kestrel process that writes each posted body to every open event stream (<see cref="BareFanOut"/>).</summary>
    public Task<ChildProcess> StartBareFanOutAsync() => ChildProcess.StartListeningAsync(self, "bare-fanout");

    /// <summary>Starts the bare Kestrel process that answers each heartbeat after one <c>HSET</c> on this run's Redis (<see cref="BareRedisHeartbeat"/>).</summary>
    public Task<ChildProcess> StartBareRedisHeartbeatAsync(string redisNamespace) => ChildProcess.StartListeningAsync(self, "bare-redis-heartbeat", Redis.Connection, redisNamespace);

    /// <summary>Starts the bare Kestrel process returning each file's bytes at <c>/{file name without extension}</c>.</summary>
    public Task<ChildProcess> StartBaselineAsync(params string[] files) => ChildProcess.StartListeningAsync(self, ["baseline", .. files]);
}

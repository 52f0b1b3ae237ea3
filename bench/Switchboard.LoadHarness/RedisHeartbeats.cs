using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.LoadHarness;

/// <summary>
/// Heartbeats through one agent on Redis against Redis' own speed: <c>redis-benchmark -t set</c> on the same redis-server in
/// the same run (before and after the heartbeats, their mean), the same agent's HTTP ceiling (heartbeats on an agent
/// whose store keeps leases in memory), the floor of any HTTP heartbeat (bare Kestrel answering the same requests), and the
/// floor of a heartbeat Redis acknowledged (<see cref="BareRedisHeartbeat"/>).
/// </summary>
internal sealed partial class RedisHeartbeats
{
    private const int Clients = 64;

    private readonly HarnessSettings _settings;
    private readonly int _instances;
    private readonly List<string[]> _rows = [];

    private RedisHeartbeats(HarnessSettings settings, int instances)
    {
        _settings = settings;
        _instances = instances;
    }

    /// <summary>SET, heartbeats on the Redis agent, heartbeats on the embedded agent, SET again; each agent gets its own instances to renew.</summary>
    public static async Task<RedisHeartbeats> MeasureAsync(Harness h, HttpClient redisAgent, Uri redisAgentAddress, HttpClient embeddedAgent, Uri embeddedAddress)
    {
        var s = h.Settings;
        var result = new RedisHeartbeats(s, s.WriteInstances);
        await RegistryLoad.RegisterAsync(redisAgent, s.WriteInstances, "hb");
        await RegistryLoad.RegisterAsync(embeddedAgent, s.WriteInstances, "hb");
        var script = RegistryLoad.HeartbeatScript(h.Scratch, "hb", s.WriteInstances);
        await Wrk.WarmUpAsync(s, redisAgentAddress, script);
        var requests = Math.Max(10_000, (int)(s.Duration.TotalSeconds * 30_000));
        var setBefore = await SetPerSecondAsync(h.Redis.Port, requests);
        var onRedis = await Wrk.RunAsync("heartbeats", redisAgentAddress, s.Duration, Clients, luaScript: script);
        var inMemory = await Wrk.RunAsync("heartbeats", embeddedAddress, s.Duration, Clients, luaScript: script);
        WrkResult bare;
        using (var backend = await h.StartBackendAsync())
            bare = await Wrk.RunAsync("heartbeats", backend.Address, s.Duration, Clients, luaScript: script);
        WrkResult bareOnRedis;
        using (var backend = await h.StartBareRedisHeartbeatAsync("bare"))
        {
            await Wrk.WarmUpAsync(s, backend.Address, script);
            bareOnRedis = await Wrk.RunAsync("heartbeats", backend.Address, s.Duration, Clients, luaScript: script);
        }
        var setAfter = await SetPerSecondAsync(h.Redis.Port, requests);
        var set = (setBefore + setAfter) / 2;
        result._rows.Add([$"redis-benchmark -t set -c {Clients} -n {requests:N0} (mean of before and after)", Report.F(set), "1.00x", "-", "-", "-", "0"]);
        result._rows.Add(["heartbeats through one agent on Redis", Report.F(onRedis.RequestsPerSecond), Report.Ratio(onRedis.RequestsPerSecond, set),
            Report.Ratio(onRedis.RequestsPerSecond, inMemory.RequestsPerSecond), Report.Ratio(onRedis.RequestsPerSecond, bareOnRedis.RequestsPerSecond), Report.Ms(onRedis.P99Ms), Report.N(onRedis.Failures)]);
        result._rows.Add(["bare Kestrel answering each heartbeat after one HSET on the same Redis (no registry: the floor of a heartbeat Redis acknowledged)",
            Report.F(bareOnRedis.RequestsPerSecond), Report.Ratio(bareOnRedis.RequestsPerSecond, set), Report.Ratio(bareOnRedis.RequestsPerSecond, inMemory.RequestsPerSecond), "1.00x",
            Report.Ms(bareOnRedis.P99Ms), Report.N(bareOnRedis.Failures)]);
        result._rows.Add(["heartbeats through the embedded agent (leases in memory: the HTTP ceiling)", Report.F(inMemory.RequestsPerSecond), Report.Ratio(inMemory.RequestsPerSecond, set),
            "1.00x", "-", Report.Ms(inMemory.P99Ms), Report.N(inMemory.Failures)]);
        result._rows.Add(["the same requests answered by bare Kestrel (no registry: the floor of an HTTP heartbeat)", Report.F(bare.RequestsPerSecond), Report.Ratio(bare.RequestsPerSecond, set),
            Report.Ratio(bare.RequestsPerSecond, inMemory.RequestsPerSecond), "-", Report.Ms(bare.P99Ms), Report.N(bare.Failures)]);
        return result;
    }

    public void WriteTo(Harness h)
    {
        h.Report.Section("Redis heartbeats against Redis' own speed",
            $"`redis-benchmark -p PORT -t set -c {Clients} -n N -q` on the run's redis-server before and after the heartbeats (mean); `wrk -t2 -c{Clients} -d{_settings.Duration.TotalSeconds}s` heartbeats "
            + $"(`PUT /service-discovery/instances/{{id}}/heartbeat`) over {_instances:N0} instances registered on node A (lease renewals batched into shared script calls), "
            + "then the same over the embedded agent, whose renewals never leave memory: the most heartbeats one agent's HTTP handling answers on this machine; "
            + "then the same requests against bare Kestrel answering each with a fixed body, in its own process: what HTTP alone allows; "
            + "and against bare Kestrel answering each only after one `HSET` of its lease on the same redis-server through StackExchange.Redis (which pipelines concurrent commands): "
            + "what HTTP and Redis together allow for a heartbeat Redis acknowledged, with three processes (wrk, server, redis-server) on the machine's cores where `redis-benchmark` has two. Goal: heartbeats on Redis >= 0.8x SET.");
        h.Report.Table(["what", "per second", "vs SET", "vs HTTP ceiling", "vs Redis floor", "p99 ms", "errors"], _rows);
    }

    /// <summary>Runs <c>redis-benchmark -t set</c> against the server on <paramref name="port"/> and returns its SET requests per second.</summary>
    private static async Task<double> SetPerSecondAsync(int port, int requests)
    {
        var info = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "set", "-c", Clients.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture), "-q" })
            info.ArgumentList.Add(a);
        var process = PeerProcesses.Start(info);
        try
        {
            var errors = process.StandardError.ReadToEndAsync();
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            // -q prints progress lines (carriage returns, "SET: rps=...") before the result: "SET: 123456.79 requests per second, p50=0.271 msec"
            var match = SetRate().Match(output);
            if (process.ExitCode != 0 || !match.Success)
                throw new InvalidOperationException($"redis-benchmark failed (exit {process.ExitCode}): {output} {await errors}");
            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        finally
        {
            PeerProcesses.Stop(process);
        }
    }

    [GeneratedRegex(@"SET: ([\d.]+) requests per second")]
    private static partial Regex SetRate();
}

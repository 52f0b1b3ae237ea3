namespace Switchboard.LoadHarness.Sections;

/// <summary>Registrations and heartbeats per second with wrk, per store: memory, the embedded journal, Redis.</summary>
internal static class WritesSection
{
    public static async Task RunAsync(Harness h)
    {
        var s = h.Settings;
        var dataDir = Path.Combine(h.Scratch, "writes-data");
        var rows = new List<string[]>();
        var stores = new (string Store, Func<Task<ChildProcess>> Start)[]
        {
            ("memory (--dev)", () => h.StartAgentAsync("--dev")),
            ("embedded (fsync)", () => h.StartAgentAsync("--data-dir", dataDir)),
            ("redis (one agent)", () => h.StartRedisAgentAsync("bench-writes")),
        };
        foreach (var (store, start) in stores)
        {
            using var agent = await start();
            using var http = new HttpClient { BaseAddress = agent.Address };
            await RegistryLoad.RegisterAsync(http, s.WriteInstances, "hb");
            var heartbeats = await Wrk.RunAsync("heartbeats", agent.Address, s.Duration, luaScript: RegistryLoad.HeartbeatScript(h.Scratch, "hb", s.WriteInstances));
            var registrations = await Wrk.RunAsync("registrations", agent.Address, s.Duration, luaScript: RegistryLoad.RegisterScript(h.Scratch));
            rows.Add([store, Report.F(registrations.RequestsPerSecond), Report.Ms(registrations.P99Ms), Report.F(heartbeats.RequestsPerSecond), Report.Ms(heartbeats.P99Ms), Report.N(registrations.Failures + heartbeats.Failures)]);
        }
        h.Report.Section("Registry writes", $"`wrk -t2 -c64 -d{s.Duration.TotalSeconds}s` with Lua scripts: registrations of new instances (each one a journal write on the embedded store, group-committed and fsynced before the answer; on Redis one Lua script on the harness's redis-server {RedisServer.Version()} on loopback, no persistence), heartbeats over {s.WriteInstances:N0} registered instances (lease renewals: never written to disk on the embedded store, one small script on Redis).");
        h.Report.Table(["store", "registrations/s", "register p99 ms", "heartbeats/s", "heartbeat p99 ms", "errors"], rows);
    }
}

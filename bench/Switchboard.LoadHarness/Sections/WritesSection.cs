namespace Switchboard.LoadHarness.Sections;

/// <summary>Registrations and heartbeats per second with wrk, per store.</summary>
internal static class WritesSection
{
    public static async Task RunAsync(Harness h)
    {
        var s = h.Settings;
        var dataDir = Path.Combine(h.Scratch, "writes-data");
        var rows = new List<string[]>();
        foreach (var (store, agentArgs) in new[] { ("memory (--dev)", new[] { "--dev" }), ("embedded (fsync)", new[] { "--data-dir", dataDir }) })
        {
            using var agent = await h.StartAgentAsync(agentArgs);
            using var http = new HttpClient { BaseAddress = agent.Address };
            await RegistryLoad.RegisterAsync(http, s.WriteInstances, "hb");
            var heartbeats = await Wrk.RunAsync("heartbeats", agent.Address, s.Duration, luaScript: RegistryLoad.HeartbeatScript(h.Scratch, "hb", s.WriteInstances));
            var registrations = await Wrk.RunAsync("registrations", agent.Address, s.Duration, luaScript: RegistryLoad.RegisterScript(h.Scratch));
            rows.Add([store, Report.F(registrations.RequestsPerSecond), Report.Ms(registrations.P99Ms), Report.F(heartbeats.RequestsPerSecond), Report.Ms(heartbeats.P99Ms), Report.N(registrations.Failures + heartbeats.Failures)]);
        }
        h.Report.Section("Registry writes", $"`wrk -t2 -c64 -d{s.Duration.TotalSeconds}s` with Lua scripts: registrations of new instances (each one a journal write on the embedded store, group-committed and fsynced before the answer), heartbeats over {s.WriteInstances:N0} registered instances (lease renewals, never written to disk).");
        h.Report.Table(["store", "registrations/s", "register p99 ms", "heartbeats/s", "heartbeat p99 ms", "errors"], rows);
    }
}

namespace Switchboard.LoadHarness.Sections;

/// <summary>Registry reads against a bare Kestrel process returning the same bytes, and against etcd serving the same records.</summary>
internal static class ReadsSection
{
    public static async Task RunAsync(Harness h)
    {
        var duration = h.Settings.Duration;
        using var agent = await h.StartAgentAsync("--dev");
        using var http = new HttpClient { BaseAddress = agent.Address };
        await RegistryLoad.RegisterAsync(http, 10, "bench");
        var instancesUrl = new Uri(agent.Address, "/service-discovery/services/bench-0/instances");
        var discoverUrl = new Uri(agent.Address, "/service-discovery/discover/bench-0");
        var instancesFile = Path.Combine(h.Scratch, "instances.json");
        var discoverFile = Path.Combine(h.Scratch, "discover.json");
        await File.WriteAllBytesAsync(instancesFile, await http.GetByteArrayAsync(instancesUrl));
        await File.WriteAllBytesAsync(discoverFile, await http.GetByteArrayAsync(discoverUrl));
        using var baseline = await h.StartBaselineAsync(instancesFile, discoverFile);

        // Warm up both servers, then alternate runs so drift on the shared machine hits both sides alike.
        await Wrk.WarmUpAsync(h.Settings, new Uri(baseline.Address, "/instances"));
        await Wrk.WarmUpAsync(h.Settings, instancesUrl);
        using var etcd = await Etcd.StartAsync(Path.Combine(h.Scratch, "etcd"));
        using (var etcdHttp = new HttpClient())
        {
            var records = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(instancesFile)).RootElement;
            foreach (var record in records.EnumerateArray())
                await etcd.PutAsync(etcdHttp, $"services/bench-0/{record.GetProperty("instance_id").GetString()}", record.GetRawText());
        }
        var rangeScript = RegistryLoad.WriteLua(h.Scratch, "etcd-range", $$"""
            wrk.method = "POST"
            wrk.body = '{{Etcd.RangeBody("services/bench-0/")}}'
            wrk.headers["Content-Type"] = "application/json"
            """);
        await Wrk.WarmUpAsync(h.Settings, new Uri(etcd.Address, "/v3/kv/range"), rangeScript);
        var etcdRun = await Wrk.RunAsync("etcd", new Uri(etcd.Address, "/v3/kv/range"), duration, luaScript: rangeScript);
        var runs = new List<(string Route, WrkResult Bare, WrkResult Agent)>();
        foreach (var (route, bareUrl, agentUrl) in new[] { ("instances of a service (10)", new Uri(baseline.Address, "/instances"), instancesUrl), ("discover (round-robin pick)", new Uri(baseline.Address, "/discover"), discoverUrl) })
        {
            var bare = await Wrk.RunAsync("bare Kestrel", bareUrl, duration);
            var ours = await Wrk.RunAsync("agent", agentUrl, duration);
            runs.Add((route, bare, ours));
        }
        h.Report.Section("Registry reads vs a bare Kestrel endpoint returning the same bytes, and vs etcd",
            $"`wrk -t2 -c64 -d{duration.TotalSeconds}s --latency`, agent `--dev` with 10 instances of the service; the bare endpoint is a minimal API returning the identical bytes from memory, in its own process; etcd {Etcd.Version()} serves the same 10 JSON records through its JSON gateway (`POST /v3/kv/range` over the service's key prefix). Targets: agent >= 0.8x bare; >= 10x etcd.");
        h.Report.Table(["route", "bare req/s", "agent req/s", "agent/bare", "agent/etcd", "bare p50 ms", "agent p50 ms", "bare p99 ms", "agent p99 ms", "errors"],
            runs.Select(r => new[] { r.Route, Report.F(r.Bare.RequestsPerSecond), Report.F(r.Agent.RequestsPerSecond), Report.Ratio(r.Agent.RequestsPerSecond, r.Bare.RequestsPerSecond),
                Report.Ratio(r.Agent.RequestsPerSecond, etcdRun.RequestsPerSecond, "0.0"),
                Report.Ms(r.Bare.P50Ms), Report.Ms(r.Agent.P50Ms), Report.Ms(r.Bare.P99Ms), Report.Ms(r.Agent.P99Ms), Report.N(r.Agent.Failures) }));
        h.Report.Table(["peer", "req/s", "p50 ms", "p99 ms", "errors"],
            [["etcd range (10 records)", Report.F(etcdRun.RequestsPerSecond), Report.Ms(etcdRun.P50Ms), Report.Ms(etcdRun.P99Ms), Report.N(etcdRun.Failures)]]);
    }
}

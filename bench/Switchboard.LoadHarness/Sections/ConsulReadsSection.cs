namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// Consul reads (<c>/v1/health/service?passing</c>, <c>/v1/catalog/service</c>) against the native read and against a bare
/// Kestrel process returning the same Consul bytes, in alternating rounds; the figures are the medians of the rounds.
/// </summary>
internal static class ConsulReadsSection
{
    public static async Task RunAsync(Harness h)
    {
        var duration = h.Settings.Duration;
        using var agent = await h.StartAgentAsync("--dev");
        using var http = new HttpClient { BaseAddress = agent.Address };
        await RegistryLoad.RegisterAsync(http, 10, "bench");
        var routes = new (string Label, string File, string Path)[]
        {
            ("native instances (10)", "native", "/service-discovery/services/bench-0/instances"),
            ("Consul health/service ?passing (10)", "health", "/v1/health/service/bench-0?passing"),
            ("Consul catalog/service (10)", "catalog", "/v1/catalog/service/bench-0"),
        };
        var files = new List<string>();
        foreach (var route in routes)
        {
            var file = Path.Combine(h.Scratch, route.File + ".json");
            await File.WriteAllBytesAsync(file, await http.GetByteArrayAsync(route.Path));
            files.Add(file);
        }
        using var baseline = await h.StartBaselineAsync([.. files]);
        var targets = routes.Select(r => (r.Label, Bare: new Uri(baseline.Address, "/" + r.File), Agent: new Uri(agent.Address, r.Path))).ToList();
        foreach (var target in targets)
        {
            await Wrk.WarmUpAsync(h.Settings, target.Bare);
            await Wrk.WarmUpAsync(h.Settings, target.Agent);
        }

        // Alternate bare and agent within each round so drift on the shared machine hits both sides alike.
        var bare = targets.ToDictionary(t => t.Label, _ => new List<WrkResult>());
        var ours = targets.ToDictionary(t => t.Label, _ => new List<WrkResult>());
        for (var round = 0; round < h.Settings.ReadRounds; round++)
        {
            foreach (var target in targets)
            {
                bare[target.Label].Add(await Wrk.RunAsync("bare Kestrel", target.Bare, duration));
                ours[target.Label].Add(await Wrk.RunAsync("agent", target.Agent, duration));
            }
        }

        var native = Median(ours[routes[0].Label].Select(r => r.RequestsPerSecond));
        h.Report.Section("Consul reads vs native reads vs a bare Kestrel endpoint returning the same Consul bytes",
            $"`wrk -t2 -c64 -d{duration.TotalSeconds}s --latency`, agent `--dev` with 10 instances of the service (registered through the native API), " +
            $"{h.Settings.ReadRounds} alternating rounds (bare, agent per route), medians; agent/bare is the median of the rounds' ratios. " +
            "The bare endpoint is a minimal API in its own process returning the identical body the agent answered (no Consul headers). Goal: Consul >= 0.9x bare.");
        h.Report.Table(["route", "bare req/s", "agent req/s", "agent/bare", "vs native agent", "bare p50 ms", "agent p50 ms", "agent p99 ms", "errors"],
            targets.Select(t =>
            {
                var (b, a) = (bare[t.Label], ours[t.Label]);
                var agentRate = Median(a.Select(r => r.RequestsPerSecond));
                return new[]
                {
                    t.Label, Report.F(Median(b.Select(r => r.RequestsPerSecond))), Report.F(agentRate),
                    Report.F(Median(a.Zip(b, (x, y) => x.RequestsPerSecond / y.RequestsPerSecond)), "0.00") + "x",
                    Report.Ratio(agentRate, native),
                    Report.Ms(Median(b.Select(r => r.P50Ms))), Report.Ms(Median(a.Select(r => r.P50Ms))), Report.Ms(Median(a.Select(r => r.P99Ms))),
                    Report.N(a.Sum(r => r.Failures)),
                };
            }));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

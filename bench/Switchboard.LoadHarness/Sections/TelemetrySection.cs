using Microsoft.Extensions.DependencyInjection;
using Switchboard.Client.Calls;

namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// What the agent's metrics cost the hot paths: reads and registrations on an agent with <c>--metrics false</c> (its
/// instruments have no listener) and on one with <c>/metrics</c> on and scraped every second as Prometheus would, the two
/// running side by side and the runs alternated; then the SDK's client calls with nobody listening and with every span
/// and measurement of the client taken (<see cref="ClientListeners"/>), alternated.
/// </summary>
internal static class TelemetrySection
{
    public static async Task RunAsync(Harness h)
    {
        var s = h.Settings;
        using var off = await h.StartAgentAsync("--dev", "--metrics", "false");
        using var on = await h.StartAgentAsync("--dev");
        using var scraping = new CancellationTokenSource();
        var scraper = ScrapeAsync(new Uri(on.Address, "/metrics"), scraping.Token);
        using (var seed = new HttpClient { BaseAddress = off.Address })
            await RegistryLoad.RegisterAsync(seed, 10, "bench");
        using (var seed = new HttpClient { BaseAddress = on.Address })
            await RegistryLoad.RegisterAsync(seed, 10, "bench");

        var rows = new List<string[]>();
        foreach (var (what, path) in new[] { ("instances of a service (10)", "/service-discovery/services/bench-0/instances"), ("Consul health/service (10)", "/v1/health/service/bench-0") })
        {
            var script = RegistryLoad.WriteLua(h.Scratch, "telemetry-read", "");
            await Wrk.WarmUpAsync(s, new Uri(off.Address, path), script);
            await Wrk.WarmUpAsync(s, new Uri(on.Address, path), script);
            rows.Add(await AclSection.AlternateAsync(what, () => Wrk.RunAsync("metrics off", new Uri(off.Address, path), s.Duration, luaScript: script),
                () => Wrk.RunAsync("metrics on", new Uri(on.Address, path), s.Duration, luaScript: script)));
        }
        var round = 0;
        rows.Add(await AclSection.AlternateAsync("registrations (new instances)",
            () => Wrk.RunAsync("metrics off", off.Address, s.Duration, luaScript: RegistryLoad.RegisterScript(h.Scratch, $"telemetry-off-{round++}")),
            () => Wrk.RunAsync("metrics on", on.Address, s.Duration, luaScript: RegistryLoad.RegisterScript(h.Scratch, $"telemetry-on-{round++}"))));
        await scraping.CancelAsync();
        var scrapes = await scraper;

        h.Report.Section("Agent metrics on vs off",
            $"Two `--dev` agents side by side: `--metrics false` (instruments without a listener), and metrics on with `/metrics` scraped every second ({scrapes} scrapes during the runs). `wrk -t2 -c64 -d{s.Duration.TotalSeconds}s`, off and on alternated twice, means of the two. Goal: on >= 0.97x off.");
        h.Report.Table(["route", "metrics off req/s", "metrics on req/s", "on/off", "off p99 ms", "on p99 ms", "errors"], rows);
        await ClientCallsAsync(h);
    }

    private static async Task ClientCallsAsync(Harness h)
    {
        var duration = h.Settings.Duration;
        using var targets = await CallTargets.StartAsync(h);
        await using var stack = ClientStacks.Switchboard(targets.Agent.Address);
        var client = stack.GetRequiredService<IServiceClient>();
        Task<bool> Call() => ClientStacks.CallAsync(client);
        if (h.Settings.WarmsUp)
            await ClientLoad.RunAsync("warm-up", Call, h.Settings.Warmup);
        var rounds = Math.Max(2, (int)(duration.TotalSeconds / 2));
        var off = new List<ClientLoad.Sample>();
        var on = new List<ClientLoad.Sample>();
        long spans = 0;
        for (var round = 0; round < rounds; round++)
        {
            off.Add(await ClientLoad.MeasureAsync(Call, duration / rounds));
            using var listening = new ClientListeners();
            on.Add(await ClientLoad.MeasureAsync(Call, duration / rounds));
            spans += listening.Spans;
            if (listening.MeasurementSum <= 0)
                throw new InvalidOperationException("the metric listener took no measurement: the 'on' runs would measure nothing");
        }
        var a = ClientLoad.Summarize("off", off);
        var b = ClientLoad.Summarize("on", on);
        h.Report.Section("SDK client calls, telemetry on vs off",
            $"One `AddSwitchboard()` client, 64 concurrent callers, GET /ping on three backends registered in the agent; {rounds} rounds of {(duration / rounds).TotalSeconds:0.#} s each alternating nobody listening and every span of `Switchboard.Client` recorded ({spans} spans) with every measurement of the `Switchboard.Client` and `Polly` meters taken. Goal: on >= 0.97x off.");
        h.Report.Table(["calls", "telemetry off req/s", "telemetry on req/s", "on/off", "off p99 ms", "on p99 ms", "failed calls"],
            [["GET /ping through IServiceClient", Report.F(a.RequestsPerSecond), Report.F(b.RequestsPerSecond), Report.Ratio(b.RequestsPerSecond, a.RequestsPerSecond), Report.Ms(a.P99Ms), Report.Ms(b.P99Ms), Report.N(a.Failures + b.Failures)]]);
    }

    /// <summary>GETs <paramref name="metrics"/> once a second until cancelled, as a Prometheus scrape would; returns how many answered 200.</summary>
    private static async Task<int> ScrapeAsync(Uri metrics, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var scrapes = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                using var answer = await http.GetAsync(metrics, stop);
                if (answer.IsSuccessStatusCode)
                    scrapes++;
            }
        }
        catch (OperationCanceledException)
        {
            // the runs are over
        }
        return scrapes;
    }
}

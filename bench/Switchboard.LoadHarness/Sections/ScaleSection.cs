using System.Diagnostics;

namespace Switchboard.LoadHarness.Sections;

/// <summary>Memory, fill rate and lookup speed of a fresh agent per catalog size.</summary>
internal static class ScaleSection
{
    public static async Task RunAsync(Harness h)
    {
        var rows = new List<string[]>();
        foreach (var size in h.Settings.Scales)
        {
            using var agent = await h.StartAgentAsync("--dev");
            using var http = new HttpClient { BaseAddress = agent.Address };
            var watch = Stopwatch.StartNew();
            await RegistryLoad.RegisterAsync(http, size, "scale");
            var loadSeconds = watch.Elapsed.TotalSeconds;
            var lookup = await Wrk.RunAsync("lookup", new Uri(agent.Address, "/service-discovery/services/scale-7/instances"), h.Settings.Duration);
            rows.Add([Report.N(size), Report.F(agent.ResidentMiB()), Report.F(size / loadSeconds), Report.F(lookup.RequestsPerSecond), Report.Ms(lookup.P50Ms), Report.Ms(lookup.P99Ms)]);
        }
        h.Report.Section("Scale", "A fresh agent (`--dev`) per size, filled over HTTP with services of 10 instances (32 concurrent registrations), then `wrk -t2 -c64` on one service's instances. Resident memory from /proc/<pid>/status after filling.");
        h.Report.Table(["instances", "agent RSS MiB", "fill registrations/s", "lookup req/s", "lookup p50 ms", "lookup p99 ms"], rows);
    }
}

using System.Diagnostics;
using System.Text;

namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// Fills one agent on its default embedded store (fsync, compaction) to the run's largest size, recording every
/// registration's latency (the longest is the worst write stall: compaction, GC), then kills it and times its restart.
/// </summary>
internal static class FillSection
{
    private const int Writers = 64;

    public static async Task RunAsync(Harness h)
    {
        var size = h.Settings.FillInstances;
        var dataDir = Path.Combine(h.Scratch, "fill-data");
        var latencies = new float[size];
        var perSecond = new int[24 * 3600];
        double fillSeconds;
        double rss;
        using (var agent = await h.StartAgentAsync("--data-dir", dataDir))
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Writers }) { BaseAddress = agent.Address, Timeout = TimeSpan.FromMinutes(2) };
            var clock = Stopwatch.StartNew();
            await Parallel.ForAsync(0, size, new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (i, ct) =>
            {
                var started = clock.Elapsed;
                using var content = new StringContent(RegistryLoad.Body($"fill-{i / 10}", $"fill-{i}", i, "1h"), Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/service-discovery/register", content, ct);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"registration {i} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                var ended = clock.Elapsed;
                latencies[i] = (float)(ended - started).TotalMilliseconds;
                Interlocked.Increment(ref perSecond[Math.Min((int)ended.TotalSeconds, perSecond.Length - 1)]);
            });
            fillSeconds = clock.Elapsed.TotalSeconds;
            rss = agent.ResidentMiB();
        } // killed (SIGKILL), as a crash would

        var dataMiB = Directory.EnumerateFiles(dataDir).Sum(f => new FileInfo(f).Length) / 1024.0 / 1024.0;
        var restart = Stopwatch.StartNew();
        using var restarted = await h.RestartAgentAsync(dataDir);
        var restartSeconds = restart.Elapsed.TotalSeconds;
        using var check = new HttpClient { BaseAddress = restarted.Address };
        var loaded = await RegistryLoad.InstanceCountAsync(check);
        if (loaded != size)
            throw new InvalidOperationException($"the restarted agent holds {loaded:N0} instances, not the {size:N0} acknowledged");

        Array.Sort(latencies);
        var fullSeconds = (int)fillSeconds;
        var slowestSecond = fullSeconds > 0 ? perSecond.Take(fullSeconds).Min() : size;
        h.Report.Section("Fill and restart (embedded store)", $"One agent with the README's defaults (`--data-dir`, fsync, compaction every 100,000 journal records) filled over HTTP with {size:N0} registrations, {Writers} at a time, every latency recorded; the longest is the worst write stall. Then SIGKILL and a restart on the same folder, timed from process start to its \"listening\" line (load + warm-up); the restarted agent must hold every acknowledged instance.");
        h.Report.Table(["instances", "fill registrations/s", "slowest second", "write p99 ms", "longest write ms", "agent RSS MiB", "data folder MiB", "restart s", "RSS after restart MiB"],
        [
            [Report.N(size), Report.F(size / fillSeconds), Report.N(slowestSecond), Report.Ms(latencies[(int)(size * 0.99)]), Report.Ms(latencies[^1]),
             Report.F(rss), Report.F(dataMiB), Report.F(restartSeconds, "0.0"), Report.F(restarted.ResidentMiB())],
        ]);
    }
}

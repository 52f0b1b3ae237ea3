using System.Diagnostics;
using System.Net;
using System.Text;

namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// Per catalog size: an agent on the embedded store filled over HTTP (fill rate, RSS, lookup speed, files on disk), then
/// killed and started again on its folder (time until it answers with every instance loaded); and a Redis replica started
/// after an agent on Redis was filled (time until it serves every instance, its RSS).
/// </summary>
internal static class ScaleSection
{
    private const int Writers = 64;
    private const int MaxAttempts = 120;

    public static async Task RunAsync(Harness h)
    {
        var embedded = new List<string[]>();
        var replicas = new List<string[]>();
        foreach (var size in h.Settings.Scales)
        {
            embedded.Add(await EmbeddedAsync(h, size));
            Console.WriteLine(string.Join('\t', embedded[^1])); // as it comes: a 1M size takes minutes
            replicas.Add(await ReplicaAsync(h, size));
            Console.WriteLine(string.Join('\t', replicas[^1]));
        }
        h.Report.Section("Scale", $"Per size, a fresh agent on the embedded store (`--data-dir`: fsync, compaction every 100,000 journal records) filled over HTTP with services of 10 instances ({Writers} concurrent registrations), "
            + $"resident memory from /proc/<pid>/status after filling, then `wrk -t2 -c64 -d{h.Settings.Duration.TotalSeconds}s` on one service's instances. "
            + "Then SIGKILL and a start on the same folder: restart is the time from starting the process until `/health` answers with every instance loaded; restart CPU is the CPU time the process used by then (user + system, /proc/<pid>/stat), which a loaded shared machine inflates far less than the wall time. "
            + $"Replica: an agent on the run's redis-server (`--store redis`) filled the same way (above {h.Settings.MaxFilledOnRedis:N0}: the same keys written straight into Redis with `redis-cli --pipe`, \"seeded\"), then a second agent started on the same Redis namespace: catch-up is the time from starting it until its `/health` counts every instance.");
        h.Report.Table(["instances", "fill registrations/s", "agent RSS MiB", "lookup req/s", "lookup p50 ms", "lookup p99 ms", "snapshot MiB", "journal MiB", "restart s", "restart CPU s", "RSS after restart MiB"], embedded);
        h.Report.Table(["instances on Redis", "fill registrations/s", "registrations retried after 503", "replica catch-up s", "replica catch-up CPU s", "replica RSS MiB"], replicas);
    }

    private static async Task<string[]> EmbeddedAsync(Harness h, int size)
    {
        var dataDir = Path.Combine(h.Scratch, $"scale-{size}");
        double fillRate, rss;
        WrkResult lookup;
        using (var agent = await h.StartAgentAsync("--data-dir", dataDir))
        {
            (fillRate, _) = await FillAsync(agent, size, "scale");
            rss = agent.ResidentMiB();
            var url = new Uri(agent.Address, "/service-discovery/services/scale-7/instances");
            await Wrk.WarmUpAsync(h.Settings, url);
            lookup = await Wrk.RunAsync("lookup", url, h.Settings.Duration);
        } // killed (SIGKILL), as a crash would

        var files = Directory.EnumerateFiles(dataDir).Select(f => new FileInfo(f)).ToList();
        var snapshotMiB = files.Where(f => f.Name == "snapshot.json").Sum(f => f.Length) / 1024.0 / 1024.0;
        var journalMiB = files.Where(f => f.Name.StartsWith("journal", StringComparison.Ordinal)).Sum(f => f.Length) / 1024.0 / 1024.0;
        var clock = Stopwatch.StartNew();
        using var restarted = await h.RestartAgentAsync(dataDir);
        var restartSeconds = await UntilHoldsAsync(restarted, size, clock);
        var restartCpu = restarted.CpuTime().TotalSeconds;
        Directory.Delete(dataDir, true);
        return [Report.N(size), Report.F(fillRate), Report.F(rss), Report.F(lookup.RequestsPerSecond), Report.Ms(lookup.P50Ms), Report.Ms(lookup.P99Ms),
            Report.F(snapshotMiB, "0.0"), Report.F(journalMiB, "0.0"), Report.F(restartSeconds, "0.00"), Report.F(restartCpu, "0.00"), Report.F(restarted.ResidentMiB())];
    }

    private static async Task<string[]> ReplicaAsync(Harness h, int size)
    {
        var ns = $"scale-{size}";
        string fillRate = "seeded", retried = "-";
        if (size <= h.Settings.MaxFilledOnRedis)
        {
            using var writer = await h.StartRedisAgentAsync(ns);
            var (rate, retries) = await FillAsync(writer, size, "scale");
            (fillRate, retried) = (Report.F(rate), Report.N(retries));
        }
        else
        {
            await RedisSeed.SeedAsync(h.Redis, ns, size, "scale");
        }
        var clock = Stopwatch.StartNew();
        using var replica = await h.StartRedisAgentAsync(ns);
        var catchUp = await UntilHoldsAsync(replica, size, clock);
        var catchUpCpu = replica.CpuTime().TotalSeconds;
        return [Report.N(size), fillRate, retried, Report.F(catchUp, "0.00"), Report.F(catchUpCpu, "0.00"), Report.F(replica.ResidentMiB())];
    }

    /// <summary>Registers <paramref name="size"/> instances (a 503 is retried after its Retry-After) and returns the rate and the retries; the agent must then hold them all.</summary>
    private static async Task<(double Rate, int Retried)> FillAsync(ChildProcess agent, int size, string prefix)
    {
        var retried = 0;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Writers }) { BaseAddress = agent.Address, Timeout = TimeSpan.FromMinutes(2) };
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, size, new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (i, ct) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                using var content = new StringContent(RegistryLoad.Body($"{prefix}-{i / 10}", $"{prefix}-{i}", i, "1h"), Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/service-discovery/register", content, ct);
                if (response.IsSuccessStatusCode)
                    return;
                // A store that cannot save for now (Redis timing out on a loaded machine) answers 503 with Retry-After:
                // a registration is idempotent, so it is sent again, as a client would, rather than losing the run.
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == MaxAttempts)
                    throw new InvalidOperationException($"registration {i} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                Interlocked.Increment(ref retried);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), ct);
            }
        });
        var rate = size / clock.Elapsed.TotalSeconds;
        var held = await RegistryLoad.InstanceCountAsync(http);
        if (held != size)
            throw new InvalidOperationException($"the agent holds {held:N0} instances after {size:N0} registrations");
        return (rate, retried);
    }

    /// <summary>Polls <c>/health</c> every 50 ms (it lists every service: cheap enough not to slow what it measures) (at most ten minutes) until the agent counts <paramref name="size"/> instances; the seconds on <paramref name="clock"/> then.</summary>
    private static async Task<double> UntilHoldsAsync(ChildProcess agent, int size, Stopwatch clock)
    {
        using var http = new HttpClient { BaseAddress = agent.Address };
        var held = 0;
        while (clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            held = await RegistryLoad.InstanceCountAsync(http);
            if (held == size)
                return clock.Elapsed.TotalSeconds;
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"the agent held {held:N0} of {size:N0} instances after ten minutes");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// Ten thousand watchers of one service on one agent: parked native blocking queries, parked Consul blocking queries, then
/// event-stream subscribers (<see cref="HarnessSettings.Watchers"/> of each, one kind at a time, a fresh agent each). For each
/// kind: the agent's memory per watcher, reads of another service with the watchers parked against the same reads without
/// them, and the time from sending a change of the watched service to the LAST watcher holding it, over
/// <see cref="HarnessSettings.WatcherRounds"/> changes; watchers of a bystander service must not wake.
/// </summary>
internal static class WatchersSection
{
    private const string Watched = "watched";
    private const string Bystander = "bystander";
    private const string ReadPath = "/service-discovery/services/reads-0/instances";

    /// <summary>
    /// Every watcher comes from 127.0.0.1, so the per-client limits are raised (an agent without limits ignores the keys); the
    /// totals (<c>MaxBlockingQueries</c>, <c>MaxEventSubscribers</c>, the connection limit from the descriptor limit) keep their defaults:
    /// the section shows that the defaults take this many watchers from distinct clients.
    /// </summary>
    private static readonly Dictionary<string, string> PerClientRaised = new()
    {
        ["Switchboard__Limits__MaxConnectionsPerClient"] = "0",
        ["Switchboard__Limits__MaxBlockingQueriesPerClient"] = "100000",
        ["Switchboard__Limits__MaxEventSubscribersPerClient"] = "100000",
    };

    private sealed record Kind(string Key, string Name, bool Parks, Func<Uri, string, long, Func<long, Task>, CancellationToken, Task<Watcher>> Open, Func<HttpClient, string, Task<long>> Index);

    public static async Task RunAsync(Harness h)
    {
        var s = h.Settings;
        var bystanders = Math.Max(1, s.Watchers / 100);
        EnsureDescriptors(s.Watchers + bystanders + 200); // the watchers, wrk and the harness's own files and clients
        var kinds = new Kind[]
        {
            new("native", "blocking query (native)", true,
                async (agent, service, index, released, stop) => await BlockingQueryWatcher.OpenAsync(agent, $"/service-discovery/services/{service}/instances", "X-Switchboard-Index", index, released, stop),
                (http, service) => IndexAsync(http, $"/service-discovery/services/{service}/instances", "X-Switchboard-Index")),
            new("consul", "blocking query (Consul health)", true,
                async (agent, service, index, released, stop) => await BlockingQueryWatcher.OpenAsync(agent, $"/v1/health/service/{service}", "X-Consul-Index", index, released, stop),
                (http, service) => IndexAsync(http, $"/v1/health/service/{service}", "X-Consul-Index")),
            new("events", "event-stream subscriber", false,
                async (agent, service, _, _, stop) => await EventStreamWatcher.OpenAsync(agent, service, stop),
                (_, _) => Task.FromResult(0L)),
        };
        var rows = new List<string[]>();
        foreach (var kind in kinds.Where(k => s.WatcherKinds is null || s.WatcherKinds.Contains(k.Key)))
        {
            rows.Add(await MeasureAsync(h, kind, bystanders));
            if (kind.Key == "events")
                rows.Add(await MeasureBareAsync(h, kind));
        }
        h.Report.Section("Watchers of one service",
            $"A fresh agent per kind, the per-client limits raised for the one loopback client (`Switchboard__Limits__MaxConnectionsPerClient=0`, `...MaxBlockingQueriesPerClient`, `...MaxEventSubscribersPerClient`), every total at its default. "
            + $"{s.Watchers:N0} watchers of the service `{Watched}` (one instance) and {bystanders:N0} of `{Bystander}`, each on its own raw socket from the harness (blocking queries `?index=N&wait=5m`, parked again after each answer; subscribers `?service=`). "
            + $"RSS per watcher: agent RSS (/proc/<pid>/status) with the watchers connected minus before, over the watchers. Reads: `wrk -t2 -c64 -d{s.Duration.TotalSeconds}s` on another service's instances (10) while the watchers are parked, against the mean of the same run before they connect and after they leave. "
            + $"Fan-out: {s.WatcherRounds} changes of `{Watched}` (its instance re-registered with a new address), each sent once every watcher is parked again (the agent's `switchboard_registry_blocking_queries_parked`) or has read the previous one, and at least {s.WatcherChangeSpacing.TotalMilliseconds:N0} ms after it (the agent wakes 4,000 or more subscribers at most every 200 ms: each change is timed on its own, not behind the previous one's batch); "
            + "timed from sending the registration to the last watcher holding the change (a complete answer with the new index, or the event's `data:` line), and to the median watcher; "
            + "a blocking watcher parks again only once every watcher has the change (the harness shares the 2 cores with the agent: parking at once would time its own 10,000 requests too). "
            + "Agent CPU per watcher per change: the agent's user + system time (/proc/<pid>/stat) from sending each change until the last watcher has it (the wake-ups and answers, not the parking again), over the changes and the watchers (robust to a busy machine, unlike the latencies). Bystanders must see none of the changes. "
            + "The floor: the same subscribers and changes against bare Kestrel in its own process writing each posted change to every open stream (no catalog, limits or filters: one wake-up, write and flush per stream).");
        h.Report.Table(["watchers", "count", "agent RSS MiB before", "RSS KiB per watcher", "reads req/s alone", "reads req/s parked", "parked/alone", "last watcher p50 ms", "last watcher p99 ms", "last watcher max ms", "median watcher p50 ms", "agent CPU µs per watcher per change", "bystanders woken", "refused or lost"], rows);
    }

    private static async Task<string[]> MeasureAsync(Harness h, Kind kind, int bystanders)
    {
        var s = h.Settings;
        using var agent = await h.StartAgentAsync(PerClientRaised, "--dev");
        using var http = new HttpClient { BaseAddress = agent.Address };
        await RegistryLoad.RegisterAsync(http, 10, "reads");
        await RegisterChangeAsync(http, Watched, 0);
        await RegisterChangeAsync(http, Bystander, 0);
        var readUrl = new Uri(agent.Address, ReadPath);
        await Wrk.WarmUpAsync(s, readUrl);
        var alone = await Wrk.RunAsync("reads", readUrl, s.Duration);
        var rssBefore = agent.ResidentMiB();

        using var stop = new CancellationTokenSource();
        var watched = new List<Watcher>(s.Watchers);
        var others = new List<Watcher>(bystanders);
        var releases = Releases(s);
        Task Released(long seen) => seen < releases.Length ? releases[seen].Task : Task.CompletedTask;
        try
        {
            var watchedIndex = await kind.Index(http, Watched);
            var bystanderIndex = await kind.Index(http, Bystander);
            await OpenAsync(agent.Address, kind, Watched, watchedIndex, Released, s.Watchers, watched, stop.Token);
            await OpenAsync(agent.Address, kind, Bystander, bystanderIndex, Released, bystanders, others, stop.Token);
            if (kind.Parks)
                await UntilParkedAsync(http, watched.Count + others.Count, [.. watched, .. others]);
            var rssWatched = agent.ResidentMiB();
            var parked = await Wrk.RunAsync("reads", readUrl, s.Duration);

            var (last, median, cpu) = await TimeChangesAsync(h, agent, http, kind, watched, others, releases);
            var lost = watched.Concat(others).Count(w => w.Failure is not null);
            var bystandersWoken = others.Count(w => w.Seen > 0);
            await stop.CancelAsync();
            foreach (var watcher in watched.Concat(others))
                watcher.Dispose();
            // Reads alone again once the watchers are gone: the machine drifts, so "alone" is the mean of before and after.
            alone = WrkResult.Mean([alone, await Wrk.RunAsync("reads", readUrl, s.Duration)]);
            return [kind.Name, Report.N(s.Watchers), Report.F(rssBefore), Report.F((rssWatched - rssBefore) * 1024 / (s.Watchers + bystanders), "0.0"),
                Report.F(alone.RequestsPerSecond), Report.F(parked.RequestsPerSecond), Report.Ratio(parked.RequestsPerSecond, alone.RequestsPerSecond),
                .. FanOutCells(s, last, median, cpu), Report.N(bystandersWoken), Report.N(lost + alone.Failures + parked.Failures)];
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var watcher in watched.Concat(others))
                watcher.Dispose();
        }
    }

    /// <summary>The same subscribers and changes against bare Kestrel writing each change to every stream (<see cref="BareFanOut"/>): the fan-out's floor on this machine.</summary>
    private static async Task<string[]> MeasureBareAsync(Harness h, Kind kind)
    {
        var s = h.Settings;
        using var bare = await h.StartBareFanOutAsync();
        using var http = new HttpClient { BaseAddress = bare.Address };
        using var stop = new CancellationTokenSource();
        var watched = new List<Watcher>(s.Watchers);
        try
        {
            await OpenAsync(bare.Address, kind, Watched, 0, _ => Task.CompletedTask, s.Watchers, watched, stop.Token);
            var (last, median, cpu) = await TimeChangesAsync(h, bare, http, kind, watched, [], Releases(s));
            var lost = watched.Count(w => w.Failure is not null);
            return ["bare Kestrel fan-out (floor)", Report.N(s.Watchers), "-", "-", "-", "-", "-", .. FanOutCells(s, last, median, cpu), "-", Report.N(lost)];
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var watcher in watched)
                watcher.Dispose();
        }
    }

    /// <summary>
    /// Sends <see cref="HarnessSettings.WatcherRounds"/> changes of the watched service (after warm-up changes in a full run: a
    /// fresh process compiles its fan-out path on the first ones), each once the previous one reached every watcher and
    /// <see cref="HarnessSettings.WatcherChangeSpacing"/> after it was sent; returns, per timed change, the delay to the last
    /// and to the median watcher, and the process's CPU time over the timed changes.
    /// </summary>
    private static async Task<(List<double> Last, List<double> Median, TimeSpan Cpu)> TimeChangesAsync(
        Harness h, ChildProcess process, HttpClient http, Kind kind, List<Watcher> watched, List<Watcher> others, TaskCompletionSource[] releases)
    {
        var s = h.Settings;
        var last = new List<double>(s.WatcherRounds);
        var median = new List<double>(s.WatcherRounds);
        var cpu = TimeSpan.Zero;
        var sent = 0L;
        for (var round = 1; round < releases.Length; round++)
        {
            if (kind.Parks)
                await UntilParkedAsync(http, watched.Count + others.Count, watched);
            var spacing = s.WatcherChangeSpacing - Stopwatch.GetElapsedTime(sent);
            if (spacing > TimeSpan.Zero)
                await Task.Delay(spacing);
            var cpuBefore = process.CpuTime();
            sent = Stopwatch.GetTimestamp();
            await RegisterChangeAsync(http, Watched, round);
            if (!await PeerProcesses.UntilAsync(() => Task.FromResult(watched.All(w => w.Seen >= round || w.Failure is not null))))
                throw new InvalidOperationException($"{kind.Name}: after change {round}, {watched.Count(w => w.Seen < round)} of {watched.Count} watchers never saw it");
            releases[round].TrySetResult();
            if (round <= WarmUpRounds(s))
                continue;
            cpu += process.CpuTime() - cpuBefore;
            var delays = watched.Where(w => w.Failure is null).Select(w => Stopwatch.GetElapsedTime(sent, w.LastSeen).TotalMilliseconds).ToList();
            last.Add(delays.Max());
            median.Add(Propagation.Percentile(delays, 50));
        }
        return (last, median, cpu);
    }

    private static int WarmUpRounds(HarnessSettings s) => s.WarmsUp ? 2 : 0;

    /// <summary>Blocking queries park again after change n once every watcher has seen it (n = 1.., warm-up changes first).</summary>
    private static TaskCompletionSource[] Releases(HarnessSettings s)
        => [.. Enumerable.Range(0, WarmUpRounds(s) + s.WatcherRounds + 1).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];

    private static string[] FanOutCells(HarnessSettings s, List<double> last, List<double> median, TimeSpan cpu) =>
        [Report.Ms(Propagation.Percentile(last, 50)), Report.Ms(Propagation.Percentile(last, 99)), Report.Ms(last.Max()), Report.Ms(Propagation.Percentile(median, 50)),
            Report.F(cpu.TotalMilliseconds * 1000 / s.WatcherRounds / s.Watchers, "0.0")];

    /// <summary>Opens <paramref name="count"/> watchers, a few at a time (the agent's listen backlog is finite); a refusal stops the section with the agent's reason.</summary>
    private static async Task OpenAsync(Uri agent, Kind kind, string service, long index, Func<long, Task> released, int count, List<Watcher> into, CancellationToken stop)
    {
        var opened = new Watcher[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = stop },
            async (i, ct) => opened[i] = await kind.Open(agent, service, index, released, stop));
        into.AddRange(opened);
    }

    /// <summary>Waits (at most a minute) until the agent holds <paramref name="expected"/> parked queries; a watcher refused on the way fails the section with the agent's reason.</summary>
    private static async Task UntilParkedAsync(HttpClient http, int expected, List<Watcher> watched)
    {
        var parked = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (watched.FirstOrDefault(w => w.Failure is not null) is { } failed)
                throw new InvalidOperationException($"a watcher stopped: {failed.Failure}");
            parked = ParkedQueries(await http.GetStringAsync("/metrics"));
            if (parked >= expected)
                return;
            await Task.Delay(20);
        }
        throw new InvalidOperationException($"only {parked} of {expected} blocking queries were parked after a minute");
    }

    private static long ParkedQueries(string metrics)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith("switchboard_registry_blocking_queries_parked", StringComparison.Ordinal))
                return (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return 0;
    }

    private static async Task<long> IndexAsync(HttpClient http, string path, string header)
    {
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return long.Parse(response.Headers.GetValues(header).First(), CultureInfo.InvariantCulture);
    }

    /// <summary>(Re-)registers the service's one instance with an address of round <paramref name="round"/>: every round is a change.</summary>
    private static async Task RegisterChangeAsync(HttpClient http, string service, int round)
    {
        using var content = new StringContent(RegistryLoad.Body(service, $"{service}-1", round + 1), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/service-discovery/register", content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Fails early with what to do when the harness itself may not open that many sockets.</summary>
    private static void EnsureDescriptors(int needed)
    {
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        if (soft is not null && soft != "unlimited" && long.Parse(soft, CultureInfo.InvariantCulture) < needed)
            throw new InvalidOperationException($"the harness may open {soft} descriptors and needs {needed:N0}: run it after 'ulimit -n {needed}' (or higher)");
    }
}

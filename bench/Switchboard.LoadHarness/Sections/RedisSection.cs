using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.LoadHarness.Sections;

/// <summary>Two agents on one Redis: reads per node against an embedded-store agent, propagation from node A to a watcher on node B, and catching up after a bulk fill.</summary>
internal static class RedisSection
{
    private const string ReadService = "bench-0";

    public static async Task RunAsync(Harness h)
    {
        var s = h.Settings;
        var agents = await ChildProcess.StartAllAsync(h.StartRedisAgentAsync("bench-cluster"), h.StartRedisAgentAsync("bench-cluster"),
            h.StartAgentAsync("--data-dir", Path.Combine(h.Scratch, "redis-section-embedded")));
        using var nodeA = agents[0];
        using var nodeB = agents[1];
        using var embedded = agents[2];
        using var a = new HttpClient { BaseAddress = nodeA.Address };
        using var b = new HttpClient { BaseAddress = nodeB.Address };
        using var e = new HttpClient { BaseAddress = embedded.Address };

        // Reads: the same 10 instances registered on node A and on the embedded agent; node B holds A's through Redis.
        await RegistryLoad.RegisterAsync(a, 10, "bench");
        await RegistryLoad.RegisterAsync(e, 10, "bench");
        if (!await PeerProcesses.UntilAsync(async () => (await b.GetFromJsonAsync<JsonElement>($"/service-discovery/services/{ReadService}/instances")).GetArrayLength() == 10))
            throw new InvalidOperationException($"node B never held the 10 instances of {ReadService} registered on node A");
        var path = $"/service-discovery/services/{ReadService}/instances";
        var targets = new (string Name, Uri Url)[]
        {
            ("embedded store (one agent)", new Uri(embedded.Address, path)),
            ("redis node A (took the writes)", new Uri(nodeA.Address, path)),
            ("redis node B (replica)", new Uri(nodeB.Address, path)),
        };
        foreach (var (_, url) in targets)
            await Wrk.WarmUpAsync(s, url);
        var runs = new List<WrkResult>();
        foreach (var (name, url) in targets.Concat(targets.Reverse())) // each target twice, in opposite orders, so drift of the shared machine hits all alike
            runs.Add(await Wrk.RunAsync(name, url, s.Duration));
        var reads = targets.Select(t => WrkResult.Mean([.. runs.Where(r => r.Name == t.Name)])).ToList();

        var propagation = await Propagation.BlockingQueryAsync(nodeB.Address, s.PropagationRounds, "prop-redis", writeTo: nodeA.Address);
        var heartbeats = await RedisHeartbeats.MeasureAsync(h, a, nodeA.Address, e, embedded.Address);
        var (onA, onB, registering, caughtUp) = await BulkFillAsync(a, b, s.ReplicationInstances);

        h.Report.Section("Distributed mode on Redis",
            $"Two agents (`--store redis`) on the harness's own redis-server {RedisServer.Version()} on loopback (no persistence), each with its own connections, so changes travel through Redis and its pub/sub; next to them an agent on the embedded store. "
            + $"Reads: `wrk -t2 -c64 -d{s.Duration.TotalSeconds}s --latency` on the instances of a service of 10, registered on node A and on the embedded agent, two runs per agent in the order embedded, A, B, B, A, embedded, means of the two; every node serves reads from memory, so the target is the embedded agent's rate. "
            + $"Propagation: {s.PropagationRounds} rounds, a blocking query parked on node B, one registration sent to node A, timed from sending it (target p99 < 100 ms). "
            + $"Catch-up: {s.ReplicationInstances:N0} registrations on node A (32 concurrent), then node B polled every 20 ms until it holds as many instances as A.");
        h.Report.Table(["agent", "instances req/s", "vs embedded", "p50 ms", "p99 ms", "errors"],
            reads.Select(r => new[] { r.Name, Report.F(r.RequestsPerSecond), Report.Ratio(r.RequestsPerSecond, reads[0].RequestsPerSecond), Report.Ms(r.P50Ms), Report.Ms(r.P99Ms), Report.N(r.Failures) }));
        h.Report.Table(["change", "p50 ms", "p99 ms", "max ms"],
            [Report.Latencies("registration answered by node A", propagation.Acknowledged), Report.Latencies("registration on node A seen by a blocking query on node B", propagation.Woken)]);
        heartbeats.WriteTo(h);
        h.Report.Table(["instances on node A", "held by node B", "registering on A took s", "B caught up after the last answer s"],
            [[Report.N(onA), Report.N(onB), Report.F(registering.TotalSeconds, "0.00"), onB >= onA ? Report.F((caughtUp - registering).TotalSeconds, "0.00") : "> 60"]]);
    }

    /// <summary>Registers <paramref name="count"/> instances on node A and waits (at most 60 s) until node B holds as many as A.</summary>
    private static async Task<(int OnA, int OnB, TimeSpan Registering, TimeSpan CaughtUp)> BulkFillAsync(HttpClient a, HttpClient b, int count)
    {
        var clock = Stopwatch.StartNew();
        await RegistryLoad.RegisterAsync(a, count, "fill");
        var registering = clock.Elapsed;
        var onA = await RegistryLoad.InstanceCountAsync(a);
        int onB;
        while ((onB = await RegistryLoad.InstanceCountAsync(b)) < onA && clock.Elapsed - registering < TimeSpan.FromSeconds(60))
            await Task.Delay(20);
        return (onA, onB, registering, clock.Elapsed);
    }
}

namespace Switchboard.LoadHarness.Sections;

/// <summary>Register-to-watcher latency on one agent: a parked blocking query and an event-stream subscriber.</summary>
internal static class PropagationSection
{
    public static async Task RunAsync(Harness h)
    {
        var rounds = h.Settings.PropagationRounds;
        using var agent = await h.StartAgentAsync("--dev");
        var blocking = await Propagation.BlockingQueryAsync(agent.Address, rounds, "prop-blocking");
        var sse = await Propagation.EventStreamAsync(agent.Address, rounds, "prop-sse");
        h.Report.Section("Propagation", $"{rounds} rounds: a watcher waits (a parked blocking query, or a subscriber to the event stream), the harness registers one instance and times from sending the registration to the watcher holding the change. Includes the registration's own round trip. Target: p99 under 50 ms on loopback.");
        h.Report.Table(["watcher", "p50 ms", "p99 ms", "max ms"],
            [Report.Latencies("blocking query (native)", blocking.Woken), Report.Latencies("server-sent events", sse)]);
    }
}

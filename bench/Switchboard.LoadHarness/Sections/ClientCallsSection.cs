using Microsoft.Extensions.DependencyInjection;
using Switchboard.Client.Calls;

namespace Switchboard.LoadHarness.Sections;

/// <summary>Calls through the Switchboard client against a bare HttpClient, MESD + the standard resilience handler, and nginx.</summary>
internal static class ClientCallsSection
{
    /// <summary>The bare clients' connection pool; Switchboard's default is 10 per instance (seed 000).</summary>
    private const int BareConnections = 64;

    public static async Task RunAsync(Harness h)
    {
        var duration = h.Settings.Duration;
        using var targets = await CallTargets.StartAsync(h);
        var urls = targets.Backends.Select(b => b.Address).ToList();
        using var nginx = await Nginx.StartAsync(Path.Combine(h.Scratch, "nginx"), urls);
        await using var switchboard = ClientStacks.Switchboard(targets.Agent.Address);
        var client = switchboard.GetRequiredService<IServiceClient>();
        await using var matched = ClientStacks.Switchboard(targets.Agent.Address, maxConnectionsPerInstance: BareConnections);
        var matchedClient = matched.GetRequiredService<IServiceClient>();
        var (standardProvider, standard) = ClientStacks.StandardStack(urls);
        await using var _ = standardProvider;
        using var bare = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = BareConnections, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        var bareUrl = new Uri(urls[0], "/ping");
        var spreadUrls = urls.Select(u => new Uri(u, "/ping")).ToArray();
        var next = 0;
        var nginxUrl = new Uri(nginx.Address, "/ping");
        var stacks = new (string Name, Func<Task<bool>> Call)[]
        {
            ("bare HttpClient, fixed URL (one instance)", () => ClientStacks.CallAsync(bare, bareUrl)),
            ("bare HttpClient, round-robin over the three fixed URLs", () => ClientStacks.CallAsync(bare, spreadUrls[(uint)Interlocked.Increment(ref next) % spreadUrls.Length])),
            ("Switchboard client (registry + P2C + resilience)", () => ClientStacks.CallAsync(client)),
            ($"Switchboard client, {BareConnections} connections per instance like the bare client", () => ClientStacks.CallAsync(matchedClient)),
            ("MESD AddServiceDiscovery + AddStandardResilienceHandler", () => ClientStacks.CallAsync(standard, new Uri("/ping", UriKind.Relative))),
            ("bare HttpClient through nginx proxy", () => ClientStacks.CallAsync(bare, nginxUrl)),
        };
        if (h.Settings.WarmsUp)
        {
            foreach (var (name, call) in stacks)
                await ClientLoad.RunAsync(name, call, h.Settings.Warmup); // connections, discovery caches
        }
        // Rounds alternate the stacks so that drift on the shared machine hits every stack alike.
        var rounds = Math.Max(1, (int)(duration.TotalSeconds / 2));
        var samples = stacks.Select(_ => new List<ClientLoad.Sample>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < stacks.Length; i++)
                samples[i].Add(await ClientLoad.MeasureAsync(stacks[i].Call, duration / rounds));
        }
        var results = stacks.Select((stack, i) => ClientLoad.Summarize(stack.Name, samples[i])).ToList();
        var baseRate = results[0].RequestsPerSecond;
        h.Report.Section("Client calls", $"64 concurrent callers in the harness process for {duration.TotalSeconds} s per stack in {rounds} rounds that alternate the stacks, GET /ping on three backend processes (bare Kestrel), registered in the agent. The second row spreads a bare client over the same three backends with a counter: what three backend processes sharing the 2 cores cost without any client logic. Each stack as its users build it: Switchboard's `AddSwitchboard()` + `IServiceClient` (discovery from the registry, power-of-two-choices, the Polly pipeline, headers; its default pool of 10 connections per instance, and once more with the bare client's {BareConnections}); MESD with the three endpoints in configuration + the standard resilience handler; nginx {Nginx.Version()} with an upstream of the three and keepalive. Targets: Switchboard >= 0.9x bare; >= 1.0x the standard stack; lower p50 than the proxy.");
        h.Report.Table(["stack", "req/s", "vs bare", "p50 ms", "p99 ms", "failed calls"],
            results.Select(r => new[] { r.Name, Report.F(r.RequestsPerSecond), Report.Ratio(r.RequestsPerSecond, baseRate), Report.Ms(r.P50Ms), Report.Ms(r.P99Ms), Report.N(r.Failures) }));
    }
}

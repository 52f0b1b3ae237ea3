using Microsoft.Extensions.DependencyInjection;
using Switchboard.Client.Calls;

namespace Switchboard.LoadHarness.Sections;

/// <summary>Calls through the Switchboard client against a bare HttpClient, MESD + the standard resilience handler, and nginx.</summary>
internal static class ClientCallsSection
{
    public static async Task RunAsync(Harness h)
    {
        var duration = h.Settings.Duration;
        using var targets = await CallTargets.StartAsync(h);
        var urls = targets.Backends.Select(b => b.Address).ToList();
        using var nginx = await Nginx.StartAsync(Path.Combine(h.Scratch, "nginx"), urls);
        await using var switchboard = ClientStacks.Switchboard(targets.Agent.Address);
        var client = switchboard.GetRequiredService<IServiceClient>();
        var (standardProvider, standard) = ClientStacks.StandardStack(urls);
        await using var _ = standardProvider;
        using var bare = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        var bareUrl = new Uri(urls[0], "/ping");
        var nginxUrl = new Uri(nginx.Address, "/ping");
        var stacks = new (string Name, Func<Task<bool>> Call)[]
        {
            ("bare HttpClient, fixed URL (one instance)", () => ClientStacks.CallAsync(bare, bareUrl)),
            ("Switchboard client (registry + P2C + resilience)", () => ClientStacks.CallAsync(client)),
            ("MESD AddServiceDiscovery + AddStandardResilienceHandler", () => ClientStacks.CallAsync(standard, new Uri("/ping", UriKind.Relative))),
            ("bare HttpClient through nginx proxy", () => ClientStacks.CallAsync(bare, nginxUrl)),
        };
        if (h.Settings.WarmsUp)
        {
            foreach (var (name, call) in stacks)
                await ClientLoad.RunAsync(name, call, h.Settings.Warmup); // connections, discovery caches
        }
        var results = new List<ClientLoad.Outcome>();
        foreach (var (name, call) in stacks)
            results.Add(await ClientLoad.RunAsync(name, call, duration));
        var baseRate = results[0].RequestsPerSecond;
        h.Report.Section("Client calls", $"64 concurrent callers in the harness process for {duration.TotalSeconds} s per stack, GET /ping on three backend processes (bare Kestrel), registered in the agent. Each stack as its users build it: Switchboard's `AddSwitchboard()` + `IServiceClient` (discovery from the registry, power-of-two-choices, the Polly pipeline, headers); MESD with the three endpoints in configuration + the standard resilience handler; nginx {Nginx.Version()} with an upstream of the three and keepalive. Targets: Switchboard >= 0.9x bare; >= 1.0x the standard stack; lower p50 than the proxy.");
        h.Report.Table(["stack", "req/s", "vs bare", "p50 ms", "p99 ms", "failed calls"],
            results.Select(r => new[] { r.Name, Report.F(r.RequestsPerSecond), Report.Ratio(r.RequestsPerSecond, baseRate), Report.Ms(r.P50Ms), Report.Ms(r.P99Ms), Report.N(r.Failures) }));
    }
}

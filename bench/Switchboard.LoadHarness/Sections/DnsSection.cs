using System.Globalization;
using System.Text;

namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// The agent's DNS interface against dnsmasq serving the same names from a static hosts file (issue #21's goal: at
/// least 0.5x dnsmasq's queries per second), both measured with dnsperf in the same run.
/// </summary>
internal static class DnsSection
{
    private const int Services = 20;
    private const int InstancesPerService = 3;

    public static async Task RunAsync(Harness h)
    {
        var s = h.Settings;
        var dnsPort = PeerProcesses.FreePort();
        using var agent = await h.StartAgentAsync("--dev", "--dns-port", dnsPort.ToString(CultureInfo.InvariantCulture));
        using var http = new HttpClient { BaseAddress = agent.Address };
        var hosts = new StringBuilder();
        var queries = new StringBuilder();
        for (var service = 0; service < Services; service++)
        {
            for (var i = 1; i <= InstancesPerService; i++)
            {
                var address = $"10.53.{service}.{i}";
                using var body = new StringContent($$"""{"ID":"dns-{{service}}-{{i}}","Name":"dns-{{service}}","Address":"{{address}}","Port":8080}""", Encoding.UTF8, "application/json");
                using var response = await http.PutAsync("/v1/agent/service/register", body);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"registering dns-{service}-{i} failed: {(int)response.StatusCode}");
                hosts.Append(CultureInfo.InvariantCulture, $"{address} dns-{service}.service.consul\n");
            }
            queries.Append(CultureInfo.InvariantCulture, $"dns-{service}.service.consul A\n");
        }
        var hostsFile = Path.Combine(h.Scratch, "dns-hosts");
        var queryFile = Path.Combine(h.Scratch, "dns-queries");
        await File.WriteAllTextAsync(hostsFile, hosts.ToString());
        await File.WriteAllTextAsync(queryFile, queries.ToString());
        using var dnsmasq = await Dnsmasq.StartAsync(hostsFile, "dns-0.service.consul");
        if (!await Dnsmasq.DigAsync(dnsPort, "dns-0.service.consul"))
            throw new InvalidOperationException("the agent's DNS interface did not answer dns-0.service.consul");

        var targets = new (string Name, int Port)[] { ("switchboard agent", dnsPort), ($"dnsmasq {Dnsmasq.Version()} (static hosts file)", dnsmasq.Port) };
        if (s.WarmsUp)
        {
            foreach (var (name, port) in targets)
                await DnsperfResult.RunAsync(name, port, queryFile, s.Warmup);
        }
        var runs = new List<DnsperfResult>();
        foreach (var (name, port) in targets.Concat(targets.Reverse())) // agent, dnsmasq, dnsmasq, agent: the shared machine's drift hits both alike
            runs.Add(await DnsperfResult.RunAsync(name, port, queryFile, s.Duration));
        var results = targets.Select(t => DnsperfResult.Mean([.. runs.Where(r => r.Name == t.Name)])).ToList();

        h.Report.Section("DNS interface",
            $"The agent (`--dev --dns-port`) and dnsmasq (a child process on a loopback port, `--no-resolv --no-hosts --addn-hosts`) serving the same {Services} names, "
            + $"`dns-N.service.consul` with {InstancesPerService} A records each. dnsperf ({Dnsperf()}) `-c 4 -q 200 -l {s.Duration.TotalSeconds}` cycling through the {Services} A queries, "
            + "two runs per server in the order agent, dnsmasq, dnsmasq, agent, means of the two. dnsmasq is single-threaded C; the agent answers a repeated query from its cache of encoded answers (docs/dns.md). Goal: the agent at 0.5x dnsmasq or better.");
        h.Report.Table(["server", "queries/s", "vs dnsmasq", "avg latency ms", "lost"],
            results.Select(r => new[] { r.Name, Report.F(r.QueriesPerSecond), Report.Ratio(r.QueriesPerSecond, results[1].QueriesPerSecond), Report.Ms(r.AverageLatencyMs), Report.N(r.Lost) }));
    }

    private static string Dnsperf() => DnsperfResult.Version();
}

using System.Text;
using Switchboard.Client.Discovery;

namespace Switchboard.Client.Tests.Discovery;

/// <summary>The SDK's DNS fallback resolving against the real agent's DNS interface (docs/dns.md).</summary>
public sealed class AgentDnsFallbackTests
{
    [Fact]
    public async Task SrvFallback_AgainstTheAgentsDnsPort_FindsHealthyInstancesWithAddressesPortsAndWeights()
    {
        var ct = TestContext.Current.CancellationToken;
        var dnsPort = Ports.Free();
        await using var agent = await AgentProcess.StartAsync("--dev", "--dns-port", dnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Register(agent, """{"ID":"gis-1","Name":"gis","Address":"127.0.0.1","Port":9101,"Weights":{"Passing":3,"Warning":1}}""", ct);
        await Register(agent, """{"ID":"gis-2","Name":"gis","Address":"127.0.0.2","Port":9102,"Check":{"TTL":"60s","Status":"critical"}}""", ct);

        // The SDK's SRV query is _http._tcp.gis.service.consul: the agent answers it for the service gis, and the SRV
        // targets (0a000001.addr.dc1.consul.) come with their addresses in the additional section.
        await using var h = new DiscoveryHarness(new()
        {
            ["Switchboard:Dns:Enabled"] = "true",
            ["Switchboard:Dns:UseSrv"] = "true",
            ["Switchboard:Dns:Suffix"] = "service.consul",
            ["Switchboard:Dns:NameServer"] = $"127.0.0.1:{dnsPort}",
        }, withRegistry: false);

        var result = await h.Discovery.ResolveAsync("gis", ct);

        Assert.Equal(DiscoverySource.Dns, result.Source);
        Assert.Equal([("127.0.0.1", 9101, 3)], result.Endpoints.Select(e => (e.Instance.Host, e.Instance.Port, e.Instance.Weight)));
        await Assert.ThrowsAsync<ServiceNotFoundException>(() => h.Discovery.ResolveAsync("nothing-here", ct).AsTask());
    }

    private static async Task Register(ServiceProcess agent, string json, CancellationToken ct)
    {
        using var response = await agent.Client.PutAsync("/v1/agent/service/register", new StringContent(json, Encoding.UTF8, "application/json"), ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
    }
}

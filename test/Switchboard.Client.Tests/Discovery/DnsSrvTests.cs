using Switchboard.Client.Discovery;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Discovery;

public sealed class DnsSrvTests
{
    [Fact]
    public async Task Resolve_SrvRecords_UsesLowestPriorityTargetsPortsAndWeights()
    {
        await using var dns = new FakeDnsServer(new()
        {
            ["_http._tcp.vault.edge.svc.cluster.local"] =
            [
                (10, 5, 8200, "vault-0.edge.svc.cluster.local."),
                (10, 1, 8201, "vault-1.edge.svc.cluster.local."),
                (20, 1, 8202, "vault-backup.edge.svc.cluster.local."),
            ],
        });
        await using var h = new DiscoveryHarness(new()
        {
            ["Switchboard:Dns:Enabled"] = "true",
            ["Switchboard:Dns:UseSrv"] = "true",
            ["Switchboard:Dns:Suffix"] = "edge.svc.cluster.local",
            ["Switchboard:Dns:NameServer"] = dns.EndPoint.ToString(),
        }, withRegistry: false);

        var result = await h.Discovery.ResolveAsync("vault", TestContext.Current.CancellationToken);

        Assert.Equal(DiscoverySource.Dns, result.Source);
        Assert.Equal(
            [("vault-0.edge.svc.cluster.local", 8200, 5), ("vault-1.edge.svc.cluster.local", 8201, 1)],
            result.Endpoints.Select(e => (e.Instance.Host, e.Instance.Port, e.Instance.Weight)).OrderBy(x => x.Port));
        Assert.True(dns.Queries >= 1);
    }

    [Fact]
    public async Task Resolve_NoSrvRecords_NotFoundNamingTheQuery()
    {
        await using var dns = new FakeDnsServer([]);
        await using var h = new DiscoveryHarness(new()
        {
            ["Switchboard:Dns:Enabled"] = "true",
            ["Switchboard:Dns:UseSrv"] = "true",
            ["Switchboard:Dns:NameServer"] = dns.EndPoint.ToString(),
        }, withRegistry: false);
        var ex = await Assert.ThrowsAsync<ServiceNotFoundException>(() => h.Discovery.ResolveAsync("ghost", TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("SRV _http._tcp.ghost", ex.Message, StringComparison.Ordinal);
    }
}

namespace Switchboard.Cli.Tests.Dns;

/// <summary>The agent's DNS interface (docs/dns.md) against the real agent, with Debian's <c>dig</c>.</summary>
public sealed class DnsInterfaceTests
{
    [Fact]
    public async Task AAndSrv_TrackRegistrations_ChecksTurningCritical_AndDeregistrations()
    {
        await using var dns = await DnsAgent.StartAsync();
        await dns.RegisterAsync("""{"ID":"web-1","Name":"web","Address":"10.0.0.1","Port":8081,"Check":{"TTL":"60s","Status":"passing"}}""");
        await dns.RegisterAsync("""{"ID":"web-2","Name":"web","Address":"10.0.0.2","Port":8082,"Weights":{"Passing":5,"Warning":1},"Check":{"TTL":"60s","Status":"passing"}}""");

        var a = await dns.DigAsync("web.service.consul", "A");
        Assert.Equal("NOERROR", a.Status);
        Assert.Contains("aa", a.Flags);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], a.Values("A").Order());
        Assert.All(a.Answer, r => Assert.Equal("0", r[1])); // Consul's default TTL

        var srv = await dns.DigAsync("web.service.consul", "SRV");
        Assert.Equal(["1 1 8081 0a000001.addr.dc1.consul.", "1 5 8082 0a000002.addr.dc1.consul."],
            srv.Answer.Select(r => string.Join(' ', r[4..])).Order());
        Assert.Contains(srv.Additional, r => r[0] == "0a000002.addr.dc1.consul." && r[3] == "A" && r[4] == "10.0.0.2");

        // The same names under the datacenter label, and the instance by id.
        Assert.Equal(2, (await dns.DigAsync("web.service.dc1.consul")).Values("A").Count);
        Assert.Equal(["10.0.0.2"], (await dns.DigAsync("web-2.instance.consul")).Values("A"));

        await dns.PutAsync("/v1/agent/check/fail/service:web-2");
        Assert.Equal(["10.0.0.1"], (await dns.DigAsync("web.service.consul")).Values("A"));

        await dns.PutAsync("/v1/agent/service/deregister/web-1");
        var none = await dns.DigAsync("web.service.consul");
        Assert.Equal("NOERROR", none.Status); // known (web-2 is there, critical), nothing healthy
        Assert.Empty(none.Answer);
        Assert.Contains(none.Authority, r => r[3] == "SOA");

        await dns.PutAsync("/v1/agent/service/deregister/web-2");
        var gone = await dns.DigAsync("web.service.consul");
        Assert.Equal("NXDOMAIN", gone.Status);
        Assert.Contains(gone.Authority, r => r[0] == "consul." && r[3] == "SOA");
    }

    [Fact]
    public async Task RepeatedQueries_AnsweredFromTheCache_FollowEveryChange_AndStillShuffle()
    {
        await using var dns = await DnsAgent.StartAsync();
        await dns.RegisterAsync("""{"ID":"c-1","Name":"cached","Address":"10.0.9.1","Port":80,"Check":{"TTL":"60s","Status":"passing"}}""");
        await dns.RegisterAsync("""{"ID":"c-2","Name":"cached","Address":"10.0.9.2","Port":80}""");
        await dns.RegisterAsync("""{"ID":"c-3","Name":"cached","Address":"10.0.9.3","Port":80}""");
        await dns.RegisterAsync("""{"ID":"c-5","Name":"cached","Address":"10.0.9.5","Port":80}""");
        await dns.RegisterAsync("""{"ID":"c-6","Name":"cached","Address":"10.0.9.6","Port":80}""");

        // Without dig's random EDNS cookie every query is the same bytes but the id: after four answers, the cache answers.
        var orders = new HashSet<string>();
        for (var i = 0; i < 16; i++)
        {
            var answer = await dns.DigAsync("cached.service.consul", "+nocookie");
            Assert.Equal(["10.0.9.1", "10.0.9.2", "10.0.9.3", "10.0.9.5", "10.0.9.6"], answer.Values("A").Order());
            orders.Add(string.Join(',', answer.Values("A")));
        }
        Assert.True(orders.Count > 1, "every answer came in one order"); // 5 instances: four equal shuffles have odds of 1 in 1.7 million

        await dns.RegisterAsync("""{"ID":"c-4","Name":"cached","Address":"10.0.9.4","Port":80}""");
        Assert.Equal(6, (await dns.DigAsync("cached.service.consul", "+nocookie")).Values("A").Count);
        await dns.PutAsync("/v1/agent/check/fail/service:c-1");
        Assert.DoesNotContain("10.0.9.1", (await dns.DigAsync("cached.service.consul", "+nocookie")).Values("A"));
        await dns.PutAsync("/v1/agent/service/deregister/c-2");
        Assert.Equal(["10.0.9.3", "10.0.9.4", "10.0.9.5", "10.0.9.6"], (await dns.DigAsync("cached.service.consul", "+nocookie")).Values("A").Order());
    }

    [Fact]
    public async Task Tags_FilterInstances_InBothNameForms()
    {
        await using var dns = await DnsAgent.StartAsync(null, "--dns-domain", "switchboard");
        await dns.RegisterAsync("""{"ID":"api-1","Name":"api","Address":"10.0.1.1","Port":80,"Tags":["v1","Primary"]}""");
        await dns.RegisterAsync("""{"ID":"api-2","Name":"api","Address":"10.0.1.2","Port":80,"Tags":["v2"]}""");
        await dns.RegisterAsync("""{"ID":"api-3","Name":"api","Address":"fd00::3","Port":80,"Tags":["v2"]}""");

        Assert.Equal(["10.0.1.1"], (await dns.DigAsync("v1.api.service.consul")).Values("A"));
        Assert.Equal(["10.0.1.1"], (await dns.DigAsync("primary.api.service.consul")).Values("A")); // tags match regardless of case
        Assert.Equal(["fd00::3"], (await dns.DigAsync("v2.api.service.consul", "AAAA")).Values("AAAA"));
        Assert.Equal(["0a000102.addr.dc1.consul.", "fd000000000000000000000000000003.addr.dc1.consul."],
            (await dns.DigAsync("_api._v2.service.consul", "SRV")).Values("SRV").Order());
        Assert.Equal(3, (await dns.DigAsync("_api._tcp.service.consul", "SRV")).Values("SRV").Count); // _tcp: no tag filter

        // The second domain answers the same.
        Assert.Equal(["10.0.1.2"], (await dns.DigAsync("v2.api.service.switchboard")).Values("A"));
        var unknownTag = await dns.DigAsync("v9.api.service.consul");
        Assert.Equal("NXDOMAIN", unknownTag.Status);
    }

    [Fact]
    public async Task LargeAnswer_TruncatedOverUdp_WholeOverTcp()
    {
        await using var dns = await DnsAgent.StartAsync();
        for (var i = 1; i <= 100; i++)
            await dns.RegisterAsync($$"""{"ID":"big-{{i}}","Name":"big","Address":"10.1.{{i / 250}}.{{i % 250}}","Port":{{9000 + i}}}""");

        var udp = await dns.DigAsync("big.service.consul", "+ignore");
        Assert.Contains("tc", udp.Flags);
        Assert.InRange(udp.Values("A").Count, 1, 99);

        var tcp = await dns.DigAsync("big.service.consul", "+tcp");
        Assert.DoesNotContain("tc", tcp.Flags);
        Assert.Equal(100, tcp.Values("A").Distinct().Count());

        // dig's own fallback: a truncated UDP answer is asked again over TCP.
        Assert.Equal(100, (await dns.DigAsync("big.service.consul", "SRV")).Values("SRV").Count);
    }

    [Fact]
    public async Task OutsideNames_AreRefused_AnyIsAnsweredSafely()
    {
        await using var dns = await DnsAgent.StartAsync();
        await dns.RegisterAsync("""{"ID":"db-1","Name":"db","Address":"10.0.2.1","Port":5432}""");

        foreach (var (name, type) in new[] { ("example.com", "A"), ("example.com", "ANY"), (".", "NS"), ("consul.example.com", "A") })
        {
            var refused = await dns.DigAsync(name, type, "+recurse");
            Assert.True(refused.Status == "REFUSED", $"{name} {type}: {refused.Text}");
            Assert.Empty(refused.Answer);
            Assert.DoesNotContain("ra", refused.Flags);
        }

        var any = await dns.DigAsync("db.service.consul", "ANY");
        Assert.Equal(["10.0.2.1"], any.Values("A"));
        var transfer = await dns.DigAsync("consul.", "AXFR");
        Assert.Contains("Transfer failed", transfer.Text, StringComparison.Ordinal);
        var soa = await dns.DigAsync("consul.", "SOA");
        Assert.Equal("NOERROR", soa.Status);
        Assert.Equal("ns.consul.", soa.Answer.Single()[4]);
        Assert.Equal("NXDOMAIN", (await dns.DigAsync("db.service.dc2.consul")).Status);
        Assert.Equal("NXDOMAIN", (await dns.DigAsync("db.query.consul")).Status);
    }

    [Fact]
    public async Task MalformedPackets_OverUdpAndTcp_NeverStopTheAgent()
    {
        await using var dns = await DnsAgent.StartAsync(new Dictionary<string, string> { ["Switchboard__Dns__TcpIdleTimeout"] = "00:00:01" });
        await dns.RegisterAsync("""{"ID":"web-1","Name":"web","Address":"10.0.0.1","Port":80}""");
        var query = Convert.FromHexString("1234010000010000000000000377656207736572766963650663" + "6f6e73756c0000010001");
        var random = new Random(21);

        List<byte[]> packets =
        [
            [], [0x12], new byte[11], new byte[12],
            Convert.FromHexString("123401000001000000000000c00c00010001"), // a name pointing at itself
            Convert.FromHexString("1234010000010000000000004000010001"), // an extended label type
            Convert.FromHexString("1234810000010000000000000000010001"), // a response (QR set): dropped, never answered
            [.. query.Take(20)], // cut in the name
        ];
        for (var i = 0; i < 500; i++)
        {
            var mutated = (byte[])query.Clone();
            for (var flips = random.Next(1, 5); flips > 0; flips--)
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            packets.Add(random.Next(5) == 0 ? mutated[..random.Next(mutated.Length)] : mutated);
        }
        for (var i = 0; i < 50; i++)
        {
            var garbage = new byte[random.Next(1, 1600)];
            random.NextBytes(garbage);
            packets.Add(garbage);
        }
        foreach (var packet in packets)
            await RawDns.SendUdpAsync(dns.DnsPort, packet);

        // TCP: garbage, a length larger than what follows (idle timeout), a frame that does not parse, a runt frame.
        await RawDns.SendTcpAsync(dns.DnsPort, [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 7))]);
        await RawDns.SendTcpAsync(dns.DnsPort, [0xff, 0xff, 1, 2, 3]);
        await RawDns.SendTcpAsync(dns.DnsPort, [0, 18, .. Convert.FromHexString("123401000001000000000000c00c00010001")]);
        await RawDns.SendTcpAsync(dns.DnsPort, [0, 3, 1, 2, 3]);

        Assert.False(dns.Agent.HasExited, dns.Agent.Output);
        Assert.Equal(["10.0.0.1"], (await dns.DigAsync("web.service.consul")).Values("A"));
        Assert.Equal(["10.0.0.1"], (await dns.DigAsync("web.service.consul", "+tcp")).Values("A"));
        Assert.DoesNotContain("Unhandled exception", dns.Agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAcls_DnsAnswersWhatTheAnonymousTokenMayRead()
    {
        const string management = "5d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a";
        await using var dns = await DnsAgent.StartAsync(new Dictionary<string, string>
        {
            ["Switchboard__Acl__Enabled"] = "true",
            ["Switchboard__Acl__DefaultPolicy"] = "deny",
            ["Switchboard__Acl__InitialManagementToken"] = management,
            ["Switchboard__Acl__AnonymousPolicies__0"] = "dns-public",
        });
        await dns.RegisterAsync("""{"ID":"public-1","Name":"public","Address":"10.0.3.1","Port":80}""", management);
        await dns.RegisterAsync("""{"ID":"secret-1","Name":"secret","Address":"10.0.3.2","Port":80}""", management);

        // Default deny, and the anonymous token's policy does not exist yet: nothing is readable.
        Assert.Equal("NXDOMAIN", (await dns.DigAsync("public.service.consul")).Status);

        await dns.PutAsync("/v1/acl/policy", management, """{"Name":"dns-public","Rules":"{\"service\":{\"public\":{\"policy\":\"read\"}}}"}""");
        var visible = await Eventually.UntilAsync(() => dns.DigAsync("public.service.consul"), d => d.Status == "NOERROR", "the anonymous policy to apply");
        Assert.Equal(["10.0.3.1"], visible.Values("A"));
        Assert.Equal("NXDOMAIN", (await dns.DigAsync("secret.service.consul")).Status);
        Assert.Equal("NXDOMAIN", (await dns.DigAsync("secret-1.instance.consul")).Status);
        Assert.Equal("NXDOMAIN", (await dns.DigAsync("secret.service.consul", "SRV")).Status);
    }
}

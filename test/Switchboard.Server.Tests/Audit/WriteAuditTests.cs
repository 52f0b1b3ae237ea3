using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Tests.Audit;

/// <summary>Audit events on real Kestrel (loopback): one structured event per write, refusals included; none for a read; never a secret.</summary>
public sealed class WriteAuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NativeWrites_OneEventEach_WithOperationTargetClientAndStatus()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs, AuditAtDebug);

        (await server.Client.PostAsync("/service-discovery/register", Json("""{"service_name":"orders","instance_id":"i-1","host":"10.0.0.1","port":80}"""), Ct)).Dispose();
        (await server.Client.PutAsync("/service-discovery/instances/i-1/heartbeat", null, Ct)).Dispose();
        (await server.Client.PostAsync("/service-discovery/instances/i-1/heartbeat", null, Ct)).Dispose();
        (await server.Client.DeleteAsync("/service-discovery/instances/i-1", Ct)).Dispose();

        Assert.Collection(logs.Events,
            e => AssertEvent(e, "register", "i-1", 201, "POST", "/service-discovery/register"),
            e => AssertEvent(e, "heartbeat", "i-1", 200, "PUT", "/service-discovery/instances/{instance_id}/heartbeat"),
            e => AssertEvent(e, "heartbeat", "i-1", 200, "POST", "/service-discovery/instances/{instance_id}/heartbeat"),
            e => AssertEvent(e, "deregister", "i-1", 200, "DELETE", "/service-discovery/instances/{instance_id}"));
        var first = logs.Events[0];
        Assert.Equal(LogLevel.Information, first.Level);
        Assert.Equal("Write", first.Id.Name);
        Assert.All(logs.Events.Skip(1).Take(2), e => Assert.Equal((LogLevel.Debug, "Renewal"), (e.Level, e.Id.Name)));
        Assert.Equal("write register target=i-1 accessor= client=127.0.0.1 status=201 (POST /service-discovery/register)", first.Message);
    }

    [Fact]
    public async Task ConsulWrites_OneEventEach()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs);

        (await server.Client.PutAsync("/v1/agent/service/register", Json("""{"ID":"web-1","Name":"web","Port":80,"Check":{"CheckID":"web-ttl","TTL":"30s"}}"""), Ct)).Dispose();
        foreach (var report in new[] { "pass", "warn", "fail" })
            (await server.Client.PutAsync($"/v1/agent/check/{report}/web-ttl", null, Ct)).Dispose();
        (await server.Client.PutAsync("/v1/agent/check/update/web-ttl", Json("""{"Status":"passing"}"""), Ct)).Dispose();
        (await server.Client.PutAsync("/v1/agent/service/deregister/web-1", null, Ct)).Dispose();

        Assert.Collection(logs.Events,
            e => AssertEvent(e, "register", "web-1", 200, "PUT", "/v1/agent/service/register"),
            e => AssertEvent(e, "check.pass", "web-ttl", 200, "PUT", "/v1/agent/check/pass/{**id}"),
            e => AssertEvent(e, "check.warn", "web-ttl", 200, "PUT", "/v1/agent/check/warn/{**id}"),
            e => AssertEvent(e, "check.fail", "web-ttl", 200, "PUT", "/v1/agent/check/fail/{**id}"),
            e => AssertEvent(e, "check.update", "web-ttl", 200, "PUT", "/v1/agent/check/update/{**id}"),
            e => AssertEvent(e, "deregister", "web-1", 200, "PUT", "/v1/agent/service/deregister/{**id}"));
    }

    [Fact]
    public async Task EurekaWrites_OneEventEach_TheInstanceAsTarget()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs, AuditAtDebug);

        (await server.Client.PostAsync("/eureka/apps/ORDERS", Json("""{"instance":{"instanceId":"o-1","hostName":"10.0.0.1","app":"ORDERS","port":{"$":80,"@enabled":"true"}}}"""), Ct)).Dispose();
        (await server.Client.PutAsync("/eureka/v2/apps/ORDERS/o-1", null, Ct)).Dispose();
        (await server.Client.PutAsync("/eureka/apps/ORDERS/o-1/status?value=OUT_OF_SERVICE", null, Ct)).Dispose();
        (await server.Client.DeleteAsync("/eureka/apps/ORDERS/o-1", Ct)).Dispose();
        (await server.Client.GetAsync("/eureka/apps", Ct)).Dispose();

        Assert.Collection(logs.Events,
            e => AssertEvent(e, "register", "o-1", 204, "POST", "/eureka/apps/{app}"),
            e => AssertEvent(e, "heartbeat", "o-1", 200, "PUT", "/eureka/v2/apps/{app}/{id}"),
            e => AssertEvent(e, "status.override", "o-1", 200, "PUT", "/eureka/apps/{app}/{id}/status"),
            e => AssertEvent(e, "deregister", "o-1", 200, "DELETE", "/eureka/apps/{app}/{id}"));
    }

    [Fact]
    public async Task RefusedWrites_AreAudited_WithTheirStatus()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs, new()
        {
            ["Switchboard:Limits:Writes:PermitsPerSecond"] = "1",
            ["Switchboard:Limits:Writes:Burst"] = "4",
            ["Switchboard:Limits:Writes:ExemptLoopback"] = "false",
        });

        (await server.Client.PostAsync("/service-discovery/register", Json("""{"service_name":"","host":"10.0.0.1","port":80}"""), Ct)).Dispose();
        (await server.Client.PutAsync("/service-discovery/instances/nope/heartbeat", null, Ct)).Dispose();
        (await server.Client.PutAsync("/v1/agent/check/pass/nope", null, Ct)).Dispose();
        (await server.Client.PutAsync("/v1/agent/no-such-route", null, Ct)).Dispose();
        using var limited = await server.Client.DeleteAsync("/service-discovery/instances/i-1", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

        Assert.Collection(logs.Events,
            e => AssertEvent(e, "register", "", 400, "POST", "/service-discovery/register"),
            e => AssertEvent(e, "heartbeat", "nope", 404, "PUT", "/service-discovery/instances/{instance_id}/heartbeat"),
            e => AssertEvent(e, "check.pass", "nope", 404, "PUT", "/v1/agent/check/pass/{**id}"),
            e => AssertEvent(e, "unrouted", "", 404, "PUT", "/v1/{**path}"),
            e => AssertEvent(e, "deregister", "i-1", 429, "DELETE", "/service-discovery/instances/{instance_id}"));
    }

    [Fact]
    public async Task RenewedLeases_NotAtInformation_RefusedHeartbeatsAre()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs); // the default level: Information

        (await server.Client.PostAsync("/service-discovery/register", Json("""{"service_name":"orders","instance_id":"i-1","host":"10.0.0.1","port":80}"""), Ct)).Dispose();
        (await server.Client.PutAsync("/service-discovery/instances/i-1/heartbeat", null, Ct)).Dispose();
        (await server.Client.PostAsync("/eureka/apps/ORDERS", Json("""{"instance":{"instanceId":"o-1","hostName":"10.0.0.1","app":"ORDERS","port":{"$":80,"@enabled":"true"}}}"""), Ct)).Dispose();
        (await server.Client.PutAsync("/eureka/apps/ORDERS/o-1", null, Ct)).Dispose();
        (await server.Client.PutAsync("/service-discovery/instances/nope/heartbeat", null, Ct)).Dispose();

        Assert.Collection(logs.Events,
            e => AssertEvent(e, "register", "i-1", 201, "POST", "/service-discovery/register"),
            e => AssertEvent(e, "register", "o-1", 204, "POST", "/eureka/apps/{app}"),
            e => AssertEvent(e, "heartbeat", "nope", 404, "PUT", "/service-discovery/instances/{instance_id}/heartbeat"));
        Assert.All(logs.Events, e => Assert.Equal(LogLevel.Information, e.Level));
    }

    [Fact]
    public async Task Reads_AreNotAudited()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs);

        foreach (var path in new[] { "/service-discovery/services", "/service-discovery/instances/i-1", "/health", "/v1/agent/services", "/v1/health/service/web" })
            (await server.Client.GetAsync(path, Ct)).Dispose();
        using (var head = new HttpRequestMessage(HttpMethod.Head, "/service-discovery/services"))
            (await server.Client.SendAsync(head, Ct)).Dispose();

        Assert.Empty(logs.Events);
    }

    [Fact]
    public async Task TokenSecrets_NeverInTheEvent_WhileAclsAreOff()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs);
        const string Header = "b1f0c9d4-7e4a-4a55-9a1e-0c7d2f1e5a11";
        const string Bearer = "c2e1d0a5-8f5b-4b66-8b2f-1d8e3a2f6b22";
        const string Query = "d3f2e1b6-9a6c-4c77-9c3a-2e9f4b3a7c33";

        using (var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/agent/service/register?token={Query}") { Content = Json("""{"ID":"web-1","Name":"web","Port":80}""") })
        {
            request.Headers.Add("X-Consul-Token", Header);
            (await server.Client.SendAsync(request, Ct)).Dispose();
        }
        using (var request = new HttpRequestMessage(HttpMethod.Put, "/v1/agent/service/deregister/web-1"))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Bearer);
            (await server.Client.SendAsync(request, Ct)).Dispose();
        }

        Assert.Equal(2, logs.Events.Count);
        AssertNoSecret(logs.Events, Header, Bearer, Query);
        Assert.All(logs.Events, e => Assert.Equal("", e["AccessorId"]));
    }

    [Fact]
    public async Task WithAclsOn_TheEventNamesTheTokensAccessorId_NeverItsSecret()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs, new() { ["Switchboard:Acl:Enabled"] = "true", ["Switchboard:Acl:DefaultPolicy"] = "allow", ["Logging:LogLevel:Switchboard.Audit"] = "Debug" });
        var acl = server.Services.GetRequiredService<AclService>();
        var token = await acl.CreateTokenAsync(new AclTokenRequest("audit test"), Ct);

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/service-discovery/register") { Content = Json("""{"service_name":"orders","instance_id":"i-1","host":"10.0.0.1","port":80}""") })
        {
            request.Headers.Add("X-Consul-Token", token.SecretId);
            (await server.Client.SendAsync(request, Ct)).Dispose();
        }
        using (var request = new HttpRequestMessage(HttpMethod.Put, "/v1/agent/service/deregister/i-1"))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.SecretId);
            (await server.Client.SendAsync(request, Ct)).Dispose();
        }
        (await server.Client.PutAsync("/service-discovery/instances/i-1/heartbeat", null, Ct)).Dispose(); // no token: anonymous

        Assert.Collection(logs.Events,
            e => Assert.Equal(token.Token.AccessorId, e["AccessorId"]),
            e => Assert.Equal(token.Token.AccessorId, e["AccessorId"]),
            e => Assert.Equal(AclToken.AnonymousAccessorId, e["AccessorId"]));
        AssertNoSecret(logs.Events, token.SecretId);
    }

    [Fact]
    public async Task AclRefusals_AreAudited_WithTheAccessorIdAndThe403()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs, new() { ["Switchboard:Acl:Enabled"] = "true", ["Switchboard:Acl:DefaultPolicy"] = "deny" });
        var acl = server.Services.GetRequiredService<AclService>();
        var policy = await acl.CreatePolicyAsync(new AclPolicyRequest("orders-write", Rules: """{"service":{"orders":{"policy":"write"}}}"""), Ct);
        var orders = await acl.CreateTokenAsync(new AclTokenRequest("orders", [new AclPolicyLink(policy.Id, null)]), Ct);

        foreach (var service in new[] { "orders", "payments" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/service-discovery/register") { Content = Json($$"""{"service_name":"{{service}}","instance_id":"{{service}}-1","host":"10.0.0.1","port":80}""") };
            request.Headers.Add("X-Consul-Token", orders.SecretId);
            (await server.Client.SendAsync(request, Ct)).Dispose();
        }
        (await server.Client.PutAsync("/v1/agent/service/register", Json("""{"ID":"web-1","Name":"web","Port":80}"""), Ct)).Dispose(); // anonymous
        using (var request = new HttpRequestMessage(HttpMethod.Delete, "/service-discovery/instances/orders-1"))
        {
            request.Headers.Add("X-Consul-Token", "00000000-0000-4000-8000-00000000dead"); // no such token
            (await server.Client.SendAsync(request, Ct)).Dispose();
        }

        Assert.Collection(logs.Events,
            e => Assert.Equal(("register", orders.Token.AccessorId, "201"), (e["Operation"], e["AccessorId"], e["StatusCode"])),
            e => Assert.Equal(("register", orders.Token.AccessorId, "403"), (e["Operation"], e["AccessorId"], e["StatusCode"])),
            e => Assert.Equal(("register", AclToken.AnonymousAccessorId, "403"), (e["Operation"], e["AccessorId"], e["StatusCode"])),
            e => Assert.Equal(("deregister", "", "403"), (e["Operation"], e["AccessorId"], e["StatusCode"])));
        AssertNoSecret(logs.Events, orders.SecretId, "00000000-0000-4000-8000-00000000dead");
    }

    [Fact]
    public async Task AuditOff_ByLogLevel_NothingLogged()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await StartAsync(logs, new() { ["Logging:LogLevel:Switchboard.Audit"] = "None" });

        (await server.Client.PostAsync("/service-discovery/register", Json("""{"service_name":"orders","host":"10.0.0.1","port":80}"""), Ct)).Dispose();

        Assert.Empty(logs.Events);
    }

    private static void AssertEvent(CapturedLogs.Event e, string operation, string target, int status, string method, string route)
    {
        Assert.Equal(operation, e["Operation"]);
        Assert.Equal(target, e["Target"]);
        Assert.Equal("127.0.0.1", e["ClientAddress"]);
        Assert.Equal(status, (int)e.Fields["StatusCode"]!);
        Assert.Equal(method, e["Method"]);
        Assert.Equal(route, e["Route"]);
    }

    private static void AssertNoSecret(IEnumerable<CapturedLogs.Event> events, params string[] secrets)
    {
        foreach (var e in events)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, e.Message, StringComparison.OrdinalIgnoreCase);
                Assert.All(e.Fields.Values, v => Assert.DoesNotContain(secret, Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    /// <summary>Renewed leases are audited at Debug: the tests that list them turn it on.</summary>
    private static Dictionary<string, string?> AuditAtDebug => new() { ["Logging:LogLevel:Switchboard.Audit"] = "Debug" };

    private static Task<RegistryServer> StartAsync(CapturedLogs logs, Dictionary<string, string?>? settings = null)
        => RegistryServer.StartAsync(configure: builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings ?? []);
            builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
            builder.Logging.AddProvider(logs);
        });

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.Server.Tests.Acl;

/// <summary>
/// The real agent process with ACLs on and default deny: a token made through the Consul ACL routes with
/// <c>service "orders" write</c> sees only <c>orders</c> in list routes, aggregated health, the event stream and Consul
/// reads, and its blocking query on another service is refused.
/// </summary>
public sealed class AclReadFilteringProcessTests
{
    private const string Management = "7d2e4f60-8a1b-4c3d-9e5f-a0b1c2d3e4f5";

    [Fact]
    public async Task OrdersToken_SeesOnlyOrders_InListsHealthEventsAndConsulReads()
    {
        await using var agent = await AgentProcess.StartAsync(["--dev", "--acl", "--acl-default-policy", "deny"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string> { ["Switchboard__Acl__InitialManagementToken"] = Management },
            WriteOutputOnDispose = true,
        });
        var ct = TestContext.Current.CancellationToken;
        using var admin = Client(agent.BaseUri, Management);
        using (var policy = await admin.PutAsJsonAsync("/v1/acl/policy", new { Name = "orders-write", Rules = """{"service":{"orders":{"policy":"write"}}}""" }, ct))
            Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        using var created = await admin.PutAsJsonAsync("/v1/acl/token", new { Description = "orders", Policies = new[] { new { Name = "orders-write" } } }, ct);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("SecretID").GetString()!;
        using var orders = Client(agent.BaseUri, secret);

        await RegisterAsync(admin, "payments", "p-1", 7001, ct);
        await RegisterAsync(orders, "orders", "o-1", 7002, ct);

        var services = await orders.GetFromJsonAsync<JsonElement>("/service-discovery/services", ct);
        Assert.Equal(["orders"], services.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service_name").GetString()));
        var health = await orders.GetFromJsonAsync<JsonElement>("/service-discovery/health/aggregated", ct);
        Assert.Equal(["orders"], health.GetProperty("services").EnumerateObject().Select(p => p.Name));
        var catalog = await orders.GetFromJsonAsync<JsonElement>("/v1/catalog/services", ct);
        Assert.Equal(["orders"], catalog.EnumerateObject().Select(p => p.Name));
        using (var blocking = await orders.GetAsync("/service-discovery/services/payments/instances?index=1&wait=5s", ct))
            Assert.Equal(HttpStatusCode.Forbidden, blocking.StatusCode);
        using (var consulBlocking = await orders.GetAsync("/v1/health/service/payments?index=1&wait=1s", ct))
        {
            Assert.Equal("[]", await consulBlocking.Content.ReadAsStringAsync(ct));
            Assert.Equal("true", consulBlocking.Headers.GetValues("X-Consul-Results-Filtered-By-ACLs").Single());
        }

        // The event stream: a payments change is left out, the orders change after it arrives.
        using var stream = await orders.GetAsync("/service-discovery/events", HttpCompletionOption.ResponseHeadersRead, ct);
        using var body = new StreamReader(await stream.Content.ReadAsStreamAsync(ct));
        Assert.StartsWith(": switchboard events", await body.ReadLineAsync(ct), StringComparison.Ordinal);
        await RegisterAsync(admin, "payments", "p-2", 7003, ct);
        await RegisterAsync(admin, "orders", "o-2", 7004, ct);
        string? line;
        while ((line = await body.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct)) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
        }
        Assert.Contains("\"instance_id\":\"o-2\"", line, StringComparison.Ordinal);
    }

    private static HttpClient Client(Uri agent, string token)
    {
        var http = new HttpClient { BaseAddress = agent, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Consul-Token", token);
        return http;
    }

    private static async Task RegisterAsync(HttpClient http, string service, string id, int port, CancellationToken ct)
    {
        using var response = await http.PostAsync("/service-discovery/register",
            new StringContent($$"""{"service_name":"{{service}}","instance_id":"{{id}}","host":"127.0.0.1","port":{{port}}}""", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

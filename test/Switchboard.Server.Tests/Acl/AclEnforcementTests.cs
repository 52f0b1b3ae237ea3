using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Tests.Acl;

/// <summary>
/// ACLs on, default deny, on real Kestrel: a token with <c>service "orders" write</c> against both APIs, the event stream
/// and blocking queries; reads filtered to what the token may read.
/// </summary>
public sealed class AclEnforcementTests : IAsyncLifetime
{
    private const string Management = "6b3c1c3e-3c7e-4d57-9f6c-0d3a5f6b2e11";
    private RegistryServer _server = null!;
    private string _orders = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RegistryServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Switchboard:Acl:Enabled"] = "true",
            ["Switchboard:Acl:DefaultPolicy"] = "deny",
            ["Switchboard:Acl:InitialManagementToken"] = Management,
        });
        var acl = _server.Services.GetRequiredService<AclService>();
        var ct = TestContext.Current.CancellationToken;
        var policy = await acl.CreatePolicyAsync(new AclPolicyRequest("orders-write", Rules: """{"service":{"orders":{"policy":"write"}}}"""), ct);
        _orders = (await acl.CreateTokenAsync(new AclTokenRequest("orders", [new AclPolicyLink(policy.Id, null)]), ct)).SecretId;
        using var payments = await SendAsync(HttpMethod.Post, "/service-discovery/register", Management, Instance("payments", "p-1"));
        Assert.Equal(HttpStatusCode.Created, payments.StatusCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task OrdersToken_RegistersOrders_Gets403ForPayments_NamingThePermission()
    {
        using (var orders = await SendAsync(HttpMethod.Post, "/service-discovery/register", _orders, Instance("orders", "o-1")))
            Assert.Equal(HttpStatusCode.Created, orders.StatusCode);

        using var refused = await SendAsync(HttpMethod.Post, "/service-discovery/register", _orders, Instance("payments", "p-2"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await ProblemAsync(refused);
        Assert.Equal("service:write", problem.GetProperty("permission").GetString());
        Assert.Equal("payments", problem.GetProperty("resource").GetString());
        Assert.Contains("lacks permission 'service:write' on \"payments\"", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Heartbeat and deregister of another service's instance: refused, and nothing changes.
        using (var heartbeat = await SendAsync(HttpMethod.Put, "/service-discovery/instances/p-1/heartbeat", _orders, "{}"))
            Assert.Equal(HttpStatusCode.Forbidden, heartbeat.StatusCode);
        using (var deregister = await SendAsync(HttpMethod.Delete, "/service-discovery/instances/p-1", _orders))
            Assert.Equal(HttpStatusCode.Forbidden, deregister.StatusCode);
        Assert.NotNull(_server.Catalog.GetInstance("p-1"));
        Assert.Null(_server.Catalog.GetInstance("p-2"));

        // Consul's API: Consul's words.
        using var consul = await SendAsync(HttpMethod.Put, "/v1/agent/service/register", _orders, """{"ID":"p-3","Name":"payments","Address":"127.0.0.1","Port":9}""");
        Assert.Equal(HttpStatusCode.Forbidden, consul.StatusCode);
        Assert.StartsWith("Permission denied: token with AccessorID '", await consul.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using (var consulOrders = await SendAsync(HttpMethod.Put, "/v1/agent/service/register", _orders, """{"ID":"o-2","Name":"orders","Address":"127.0.0.1","Port":10}"""))
            Assert.Equal(HttpStatusCode.OK, consulOrders.StatusCode);
        using (var consulDeregister = await SendAsync(HttpMethod.Put, "/v1/agent/service/deregister/p-1", _orders))
            Assert.Equal(HttpStatusCode.Forbidden, consulDeregister.StatusCode);
        Assert.NotNull(_server.Catalog.GetInstance("p-1"));
    }

    [Fact]
    public async Task Anonymous_CannotRead_RegisterOrDeregister()
    {
        using (var register = await SendAsync(HttpMethod.Post, "/service-discovery/register", null, Instance("orders", "o-9")))
            Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
        using (var deregister = await SendAsync(HttpMethod.Delete, "/service-discovery/instances/p-1", null))
            Assert.Equal(HttpStatusCode.Forbidden, deregister.StatusCode);
        using (var discover = await SendAsync(HttpMethod.Get, "/service-discovery/discover/payments", null))
            Assert.Equal(HttpStatusCode.Forbidden, discover.StatusCode);
        using (var instance = await SendAsync(HttpMethod.Get, "/service-discovery/instances/p-1", null))
            Assert.Equal(HttpStatusCode.Forbidden, instance.StatusCode);
        using (var events = await SendAsync(HttpMethod.Get, "/service-discovery/events?service=payments", null))
            Assert.Equal(HttpStatusCode.Forbidden, events.StatusCode);

        var services = await JsonAsync(HttpMethod.Get, "/service-discovery/services", null);
        Assert.Equal(0, services.GetProperty("total").GetInt32());
        var health = await JsonAsync(HttpMethod.Get, "/service-discovery/health/aggregated", null);
        Assert.Equal(0, health.GetProperty("total_services").GetInt32());

        using var consul = await SendAsync(HttpMethod.Get, "/v1/health/service/payments", null);
        Assert.Equal(HttpStatusCode.OK, consul.StatusCode);
        Assert.Equal("[]", await consul.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("true", consul.Headers.GetValues("X-Consul-Results-Filtered-By-ACLs").Single());
        using var self = await SendAsync(HttpMethod.Get, "/v1/agent/self", null);
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
    }

    [Fact]
    public async Task UnknownToken_Is403AclNotFound_OnBothApis()
    {
        const string unknown = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        using var native = await SendAsync(HttpMethod.Get, "/service-discovery/services", unknown);
        Assert.Equal(HttpStatusCode.Forbidden, native.StatusCode);
        Assert.StartsWith("ACL not found", (await ProblemAsync(native)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var consul = await SendAsync(HttpMethod.Get, "/v1/catalog/services", unknown);
        Assert.Equal(HttpStatusCode.Forbidden, consul.StatusCode);
        Assert.Equal("ACL not found", await consul.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("X-Consul-Token")]
    [InlineData("Authorization")]
    [InlineData("query")]
    public async Task TokenTransports_AllCarryTheToken(string transport)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, transport == "query" ? $"/service-discovery/services?token={Management}" : "/service-discovery/services");
        if (transport == "X-Consul-Token")
            request.Headers.Add("X-Consul-Token", Management);
        else if (transport == "Authorization")
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Management);
        using var response = await _server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(1, body.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Lists_BlockingQueries_AndConsulReads_ShowOnlyWhatTheTokenMayRead()
    {
        using (var orders = await SendAsync(HttpMethod.Post, "/service-discovery/register", _orders, Instance("orders", "o-1")))
            Assert.Equal(HttpStatusCode.Created, orders.StatusCode);

        var services = await JsonAsync(HttpMethod.Get, "/service-discovery/services", _orders);
        Assert.Equal(["orders"], services.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service_name").GetString()));
        var all = await JsonAsync(HttpMethod.Get, "/service-discovery/services", Management);
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        var health = await JsonAsync(HttpMethod.Get, "/service-discovery/health/aggregated", _orders);
        Assert.Equal(["orders"], health.GetProperty("services").EnumerateObject().Select(p => p.Name));

        // A blocking query on a service the token may not read is refused before it parks.
        using (var blocking = await SendAsync(HttpMethod.Get, "/service-discovery/services/payments/instances?index=1&wait=5s", _orders))
            Assert.Equal(HttpStatusCode.Forbidden, blocking.StatusCode);

        var catalog = await JsonAsync(HttpMethod.Get, "/v1/catalog/services", _orders);
        Assert.Equal(["orders"], catalog.EnumerateObject().Select(p => p.Name));
        var agentServices = await JsonAsync(HttpMethod.Get, "/v1/agent/services", _orders);
        Assert.Equal(["o-1"], agentServices.EnumerateObject().Select(p => p.Name));
        var payments = await JsonAsync(HttpMethod.Get, "/v1/health/service/payments", _orders);
        Assert.Equal(0, payments.GetArrayLength());
        var managed = await JsonAsync(HttpMethod.Get, "/v1/health/service/payments", Management);
        Assert.Equal(1, managed.GetArrayLength());
    }

    [Fact]
    public async Task EventStream_CarriesOnlyReadableServices_AndEndsWhenItsTokenIsDeleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var acl = _server.Services.GetRequiredService<AclService>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/service-discovery/events");
        request.Headers.Add("X-Consul-Token", _orders);
        using var stream = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var body = new StreamReader(await stream.Content.ReadAsStreamAsync(ct));
        Assert.StartsWith(": switchboard events", await body.ReadLineAsync(ct), StringComparison.Ordinal);

        using (var p = await SendAsync(HttpMethod.Post, "/service-discovery/register", Management, Instance("payments", "p-5")))
            Assert.Equal(HttpStatusCode.Created, p.StatusCode);
        using (var o = await SendAsync(HttpMethod.Post, "/service-discovery/register", Management, Instance("orders", "o-5")))
            Assert.Equal(HttpStatusCode.Created, o.StatusCode);
        var data = await NextDataAsync(body, ct);
        Assert.Contains("\"instance_id\":\"o-5\"", data, StringComparison.Ordinal); // p-5 came first and was left out

        var accessor = acl.ListTokens().Single(t => t.Description == "orders").AccessorId;
        Assert.True(await acl.DeleteTokenAsync(accessor, ct));
        using (var o = await SendAsync(HttpMethod.Post, "/service-discovery/register", Management, Instance("orders", "o-6")))
            Assert.Equal(HttpStatusCode.Created, o.StatusCode);
        var rest = await body.ReadToEndAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Contains("event: error\ndata: ACL not found", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("o-6", rest, StringComparison.Ordinal);
    }

    private static async Task<string> NextDataAsync(StreamReader body, CancellationToken ct)
    {
        string? line;
        while ((line = await body.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct)) is not null)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                return line;
        }
        throw new InvalidOperationException("the stream ended");
    }

    private static string Instance(string service, string id)
        => $$"""{"service_name":"{{service}}","instance_id":"{{id}}","host":"127.0.0.1","port":{{Math.Abs(id.GetHashCode(StringComparison.Ordinal)) % 60000 + 1}}}""";

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
            request.Headers.Add("X-Consul-Token", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<JsonElement> JsonAsync(HttpMethod method, string path, string? token)
    {
        using var response = await SendAsync(method, path, token);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }
}

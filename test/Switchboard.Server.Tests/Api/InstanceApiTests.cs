using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.Server.Tests.Api;

public sealed class InstanceApiTests
{
    private static async Task<string> RegisterAsync(RegistryServer server, string body)
    {
        using var response = await RegisterApiTests.PostJsonAsync(server.Client, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instance_id").GetString()!;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Heartbeat_Known_RenewsLease_Unknown404WithMessage()
    {
        await using var server = await RegistryServer.StartAsync();
        var id = await RegisterAsync(server, """{"service_name":"a","host":"h","port":1,"ttl":"30s"}""");
        server.Time.Advance(TimeSpan.FromSeconds(20));

        using var ok = await server.Client.PutAsync($"/service-discovery/instances/{id}/heartbeat", null);
        using var missing = await server.Client.PutAsync("/service-discovery/instances/ghost/heartbeat", null);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var hb = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(server.Time.GetUtcNow().AddSeconds(30), hb.GetProperty("lease_expires_at").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("register it again", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_BadStatusOrBody_400NamingField()
    {
        await using var server = await RegistryServer.StartAsync();
        var id = await RegisterAsync(server, """{"service_name":"a","host":"h","port":1}""");

        using var badStatus = await server.Client.PutAsync($"/service-discovery/instances/{id}/heartbeat", Json("""{"status":"sleepy"}"""));
        using var badJson = await server.Client.PutAsync($"/service-discovery/instances/{id}/heartbeat", Json("{"));

        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("\"status\"", await badStatus.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
    }

    [Fact]
    public async Task Deregister_KnownThenUnknown_200Then404()
    {
        await using var server = await RegistryServer.StartAsync();
        var id = await RegisterAsync(server, """{"service_name":"a","host":"h","port":1}""");

        using var first = await server.Client.DeleteAsync($"/service-discovery/instances/{id}");
        using var second = await server.Client.DeleteAsync($"/service-discovery/instances/{id}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
    }

    [Fact]
    public async Task GetInstance_ShowsLeaseAndHeartbeat()
    {
        await using var server = await RegistryServer.StartAsync();
        var id = await RegisterAsync(server, """{"service_name":"a","host":"h","port":1,"ttl":60}""");

        var details = await server.Client.GetFromJsonAsync<JsonElement>($"/service-discovery/instances/{id}");

        Assert.Equal("a", details.GetProperty("instance").GetProperty("service_name").GetString());
        Assert.Equal(server.Time.GetUtcNow().AddMinutes(1), details.GetProperty("lease_expires_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Discover_UnknownIs404_AllCriticalIs503_HealthyRoundRobins()
    {
        await using var server = await RegistryServer.StartAsync();
        using var unknown = await server.Client.GetAsync("/service-discovery/discover/nobody");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var a = await RegisterAsync(server, """{"service_name":"svc","host":"h","port":1,"check":{"kind":"ttl","ttl":"10s"}}""");
        var b = await RegisterAsync(server, """{"service_name":"svc","host":"h","port":2,"check":{"kind":"ttl","ttl":"10s"}}""");
        var seen = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            var found = await server.Client.GetFromJsonAsync<JsonElement>("/service-discovery/discover/svc");
            Assert.Equal("healthy", found.GetProperty("status").GetString());
            seen.Add(found.GetProperty("instance_id").GetString()!);
        }
        Assert.Equal([a, b], seen.Order());

        foreach (var id in new[] { a, b })
            (await server.Client.PutAsync($"/service-discovery/instances/{id}/heartbeat", Json("""{"status":"critical","output":"db down"}"""))).Dispose();
        using var none = await server.Client.GetAsync("/service-discovery/discover/svc");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, none.StatusCode);
        Assert.Contains("none is healthy", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_InvalidName_400()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync("/service-discovery/discover/Bad_Name");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Services_ListingsHealthyAndByTag()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server, """{"service_name":"web","host":"h","port":1,"tags":["api"],"version":"2.0"}""");
        var sick = await RegisterAsync(server, """{"service_name":"db","host":"h","port":2,"tags":["data"],"check":{"kind":"ttl","ttl":"10s"}}""");
        (await server.Client.PutAsync($"/service-discovery/instances/{sick}/heartbeat", Json("""{"status":"critical"}"""))).Dispose();

        var all = await server.Client.GetFromJsonAsync<JsonElement>("/service-discovery/services");
        var healthy = await server.Client.GetFromJsonAsync<JsonElement>("/service-discovery/services/healthy");
        var byTag = await server.Client.GetFromJsonAsync<JsonElement>("/service-discovery/services/by-tag/data");

        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Equal("web", healthy.GetProperty("services")[0].GetProperty("service_name").GetString());
        Assert.Equal(1, healthy.GetProperty("total").GetInt32());
        Assert.Equal("db", byTag.GetProperty("services")[0].GetProperty("service_name").GetString());
    }

    [Fact]
    public async Task Instances_Filters_HealthyTagVersionMetadata()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server, """{"service_name":"svc","host":"h","port":1,"tags":["api","eu"],"version":"1","metadata":{"team":"x"}}""");
        await RegisterAsync(server, """{"service_name":"svc","host":"h","port":2,"tags":["api"],"version":"2"}""");

        async Task<int[]> Ports(string query)
        {
            var list = await server.Client.GetFromJsonAsync<JsonElement>($"/service-discovery/services/svc/instances{query}");
            return [.. list.EnumerateArray().Select(i => i.GetProperty("port").GetInt32())];
        }

        Assert.Equal(new[] { 1, 2 }, await Ports(""));
        Assert.Equal(new[] { 1, 2 }, await Ports("?healthy=true&tag=api"));
        Assert.Equal(new[] { 1 }, await Ports("?tag=api&tag=eu"));
        Assert.Equal(new[] { 2 }, await Ports("?version=2"));
        Assert.Equal(new[] { 1 }, await Ports("?meta.team=x"));
        Assert.Empty(await Ports("?tag=none"));
    }

    [Theory]
    [InlineData("?healthy=maybe", "healthy")]
    [InlineData("?index=-1", "index")]
    [InlineData("?index=abc", "index")]
    [InlineData("?index=1&wait=forever", "wait")]
    public async Task Instances_BadQuery_400NamingParameter(string query, string field)
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync($"/service-discovery/services/svc/instances{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Instances_UnknownService_EmptyArrayWithIndex()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync("/service-discovery/services/ghost/instances");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
        Assert.Equal("0", response.Headers.GetValues("X-Switchboard-Index").Single());
    }
}

using System.Net;
using System.Text.Json;
using static Switchboard.Server.Tests.Eureka.EurekaHttp;

namespace Switchboard.Server.Tests.Eureka;

/// <summary>With ACLs on, Eureka routes obey the native API's rules: <c>service:write</c> to register, reads filtered; a Eureka client without a token is the anonymous token.</summary>
public sealed class EurekaAclTests
{
    private const string Management = "7b0c4c1e-2f4d-4a34-9c8e-0a1b2c3d4e5f";

    private static Task<RegistryServer> StartAsync() => RegistryServer.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Switchboard:Acl:Enabled"] = "true",
        ["Switchboard:Acl:DefaultPolicy"] = "deny",
        ["Switchboard:Acl:InitialManagementToken"] = Management,
    });

    [Fact]
    public async Task WithoutAToken_RegisterIs403_AndNothingIsRegistered()
    {
        await using var server = await StartAsync();

        using var response = await PostAsync(server.Client, "/eureka/apps/ORDERS", Instance("ORDERS", "orders-1"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Fact]
    public async Task WithAToken_RegisterWorks_AndAnonymousReadsAreFiltered()
    {
        await using var server = await StartAsync();
        server.Client.DefaultRequestHeaders.Add("X-Consul-Token", Management);
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));
        var withToken = await GetJsonAsync(server.Client, "/eureka/apps");
        server.Client.DefaultRequestHeaders.Remove("X-Consul-Token");

        var anonymous = await GetJsonAsync(server.Client, "/eureka/apps");
        using var named = await SendAsync(server.Client, HttpMethod.Get, "/eureka/apps/ORDERS");
        using var renew = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/ORDERS/orders-1");
        server.Client.DefaultRequestHeaders.Add("X-Consul-Token", "not-a-token");
        using var badToken = await SendAsync(server.Client, HttpMethod.Get, "/eureka/apps");

        Assert.Equal(1, withToken.GetProperty("applications").GetProperty("application").GetArrayLength());
        Assert.Equal(0, anonymous.GetProperty("applications").GetProperty("application").GetArrayLength());
        Assert.Equal("", anonymous.GetProperty("applications").GetProperty("apps__hashcode").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, named.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, renew.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, badToken.StatusCode);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(await badToken.Content.ReadAsStringAsync()).RootElement.ValueKind);
    }
}

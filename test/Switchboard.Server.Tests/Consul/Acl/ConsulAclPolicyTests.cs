using System.Text.Json;

namespace Switchboard.Server.Tests.Consul.Acl;

public sealed class ConsulAclPolicyTests
{
    private const string OrdersWrite = """{"service":{"orders":{"policy":"write"}}}""";

    [Fact]
    public async Task PolicyCrud_CreateReadByIdAndNameUpdateListDelete()
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();

        var created = await server.JsonAsync(HttpMethod.Put, "/v1/acl/policy", management,
            JsonSerializer.Serialize(new { Name = "orders-writer", Description = "orders", Rules = OrdersWrite }));
        var id = created.GetProperty("ID").GetString()!;
        Assert.Equal("orders-writer", created.GetProperty("Name").GetString());
        Assert.Equal(OrdersWrite, created.GetProperty("Rules").GetString());
        Assert.Equal(["CreateIndex", "Description", "Hash", "ID", "ModifyIndex", "Name", "Rules"], ConsulHttp.Keys(created));

        var byId = await server.JsonAsync(HttpMethod.Get, $"/v1/acl/policy/{id}", management);
        Assert.Equal("orders", byId.GetProperty("Description").GetString());
        var byName = await server.JsonAsync(HttpMethod.Get, "/v1/acl/policy/name/orders-writer", management);
        Assert.Equal(id, byName.GetProperty("ID").GetString());

        var updated = await server.JsonAsync(HttpMethod.Put, $"/v1/acl/policy/{id}", management,
            JsonSerializer.Serialize(new { ID = id, Name = "orders-reader", Rules = """{"service":{"orders":{"policy":"read"}}}""" }));
        Assert.Equal("orders-reader", updated.GetProperty("Name").GetString());
        Assert.True(updated.GetProperty("ModifyIndex").GetInt64() > updated.GetProperty("CreateIndex").GetInt64());
        Assert.NotEqual(created.GetProperty("Hash").GetString(), updated.GetProperty("Hash").GetString());

        var list = await server.JsonAsync(HttpMethod.Get, "/v1/acl/policies", management);
        Assert.Equal(["global-management", "orders-reader"], list.EnumerateArray().Select(p => p.GetProperty("Name").GetString()));
        Assert.All(list.EnumerateArray(), p => Assert.False(p.TryGetProperty("Rules", out _)));

        var deleted = await server.JsonAsync(HttpMethod.Delete, $"/v1/acl/policy/{id}", management);
        Assert.True(deleted.GetBoolean());
        using var gone = await server.SendAsync(HttpMethod.Get, $"/v1/acl/policy/{id}", management);
        await ConsulHttp.AssertTextAsync(gone, 404, "ACL policy not found");
        using var goneByName = await server.SendAsync(HttpMethod.Get, "/v1/acl/policy/name/orders-reader", management);
        Assert.Equal(404, (int)goneByName.StatusCode);
    }

    [Theory]
    [InlineData("""{"Name":"bad name!"}""", "name must be 1 to 128 letters")]
    [InlineData("""{"Name":"p","Rules":"{\"service\":{\"orders\":{\"policy\":\"admin\"}}}"}""", "rules.service.orders.policy must be read, write or deny")]
    [InlineData("""{"Name":"p","Rules":"service \"orders\" { policy = \"write\" }"}""", "rules is not valid JSON")]
    [InlineData("""{"Name":"p","Rules":{"service":{}}}""", "Request decode failed: 'Rules' expected type 'string'")]
    [InlineData("""{"Name":"p","Datacenters":["dc2"]}""", "Datacenters names \"dc2\"")]
    [InlineData("""["not","an","object"]""", "Request decode failed: 'body' expected a map")]
    [InlineData("""{"Name":""", "Request decode failed: invalid JSON")]
    public async Task BadPolicyBody_400NamingTheField(string body, string expected)
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();

        await server.AssertRefusedAsync("/v1/acl/policy", management, body, expected, "/v1/acl/policies", before: 1); // global-management only
    }

    [Fact]
    public async Task UpdateWithAnotherIdInTheBody_400()
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();
        var id = (await server.JsonAsync(HttpMethod.Put, "/v1/acl/policy", management, """{"Name":"p"}""")).GetProperty("ID").GetString();

        using var response = await server.SendAsync(HttpMethod.Put, $"/v1/acl/policy/{id}", management, """{"ID":"00000000-0000-0000-0000-00000000abcd","Name":"p"}""");

        await ConsulHttp.AssertTextAsync(response, 400, "Policy ID in URL and payload do not match");
    }

    [Fact]
    public async Task GlobalManagement_CannotBeDeleted()
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();

        using var response = await server.SendAsync(HttpMethod.Delete, "/v1/acl/policy/00000000-0000-0000-0000-000000000001", management);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("cannot be deleted", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}

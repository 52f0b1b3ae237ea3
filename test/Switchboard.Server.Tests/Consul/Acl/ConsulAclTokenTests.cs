using System.Net.Http.Headers;

namespace Switchboard.Server.Tests.Consul.Acl;

public sealed class ConsulAclTokenTests
{
    [Fact]
    public async Task Bootstrap_OnceWithTheSecret_ThenRefused403()
    {
        await using var server = await AclServer.StartAsync();

        var first = await server.JsonAsync(HttpMethod.Put, "/v1/acl/bootstrap", null);
        Assert.True(Guid.TryParse(first.GetProperty("SecretID").GetString(), out _));
        Assert.Equal("global-management", first.GetProperty("Policies")[0].GetProperty("Name").GetString());
        Assert.Equal(["AccessorID", "CreateIndex", "CreateTime", "Description", "Hash", "Local", "ModifyIndex", "Policies", "SecretID"], ConsulHttp.Keys(first));

        using var second = await server.SendAsync(HttpMethod.Put, "/v1/acl/bootstrap", null);
        await ConsulHttp.AssertTextAsync(second, 403, "Permission denied: ACL bootstrap no longer allowed");
    }

    [Fact]
    public async Task Bootstrap_WithBootstrapSecret_UsesIt()
    {
        await using var server = await AclServer.StartAsync();
        const string secret = "4f1a9c3e-1111-4222-8333-944455556666";

        var created = await server.JsonAsync(HttpMethod.Put, "/v1/acl/bootstrap", null, $$"""{"BootstrapSecret":"{{secret}}"}""");

        Assert.Equal(secret, created.GetProperty("SecretID").GetString());
        Assert.Equal(created.GetProperty("AccessorID").GetString(), (await server.JsonAsync(HttpMethod.Get, "/v1/acl/token/self", secret)).GetProperty("AccessorID").GetString());
    }

    [Fact]
    public async Task TokenCreateReadSelfListDelete_SecretOnlyInTheCreateAnswer()
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();

        var created = await server.TokenWithRulesAsync(management, "orders-writer", """{"service":{"orders":{"policy":"write"}}}""");
        var accessor = created.GetProperty("AccessorID").GetString()!;
        var secret = created.GetProperty("SecretID").GetString()!;
        Assert.True(Guid.TryParse(secret, out _));
        Assert.Equal("orders-writer", created.GetProperty("Policies")[0].GetProperty("Name").GetString());
        Assert.Equal("for orders-writer", created.GetProperty("Description").GetString());

        using var read = await server.SendAsync(HttpMethod.Get, $"/v1/acl/token/{accessor}", management);
        var readText = await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)read.StatusCode);
        Assert.DoesNotContain(secret, readText, StringComparison.Ordinal);
        Assert.Contains("\"SecretID\":\"<hidden>\"", readText, StringComparison.Ordinal);

        // token/self needs only a valid token, not acl:read; it never shows the secret either (Bearer works too)
        using var selfRequest = new HttpRequestMessage(HttpMethod.Get, "/v1/acl/token/self");
        selfRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var self = await server.Client.SendAsync(selfRequest, TestContext.Current.CancellationToken);
        var selfText = await self.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)self.StatusCode);
        Assert.Contains(accessor, selfText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, selfText, StringComparison.Ordinal);

        using var list = await server.SendAsync(HttpMethod.Get, "/v1/acl/tokens", management);
        var listText = await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains(accessor, listText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listText, StringComparison.Ordinal);
        Assert.DoesNotContain(management, listText, StringComparison.Ordinal);

        Assert.True((await server.JsonAsync(HttpMethod.Delete, $"/v1/acl/token/{accessor}", management)).GetBoolean());
        using var gone = await server.SendAsync(HttpMethod.Get, $"/v1/acl/token/{accessor}", management);
        await ConsulHttp.AssertTextAsync(gone, 404, "ACL token not found");
        using var deletedSelf = await server.SendAsync(HttpMethod.Get, "/v1/acl/token/self", secret);
        await ConsulHttp.AssertTextAsync(deletedSelf, 403, "ACL not found");
    }

    [Fact]
    public async Task TokenUpdate_ReplacesPoliciesAndDescription_KeepsTheSecret()
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();
        var created = await server.TokenWithRulesAsync(management, "a", """{"service":{"a":{"policy":"read"}}}""");
        await server.JsonAsync(HttpMethod.Put, "/v1/acl/policy", management, """{"Name":"b"}""");
        var accessor = created.GetProperty("AccessorID").GetString()!;

        var updated = await server.JsonAsync(HttpMethod.Put, $"/v1/acl/token/{accessor}", management,
            $$"""{"AccessorID":"{{accessor}}","Description":"renamed","Policies":[{"Name":"b"}]}""");

        Assert.Equal("renamed", updated.GetProperty("Description").GetString());
        Assert.Equal("b", updated.GetProperty("Policies")[0].GetProperty("Name").GetString());
        Assert.Equal("<hidden>", updated.GetProperty("SecretID").GetString());
        var self = await server.JsonAsync(HttpMethod.Get, "/v1/acl/token/self", created.GetProperty("SecretID").GetString());
        Assert.Equal("renamed", self.GetProperty("Description").GetString());
    }

    [Fact]
    public async Task TokenUpdate_WithTheReadAnswerSentBack_Accepted()
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();
        var created = await server.JsonAsync(HttpMethod.Put, "/v1/acl/token", management, """{"Description":"before","ExpirationTTL":"2h"}""");
        var accessor = created.GetProperty("AccessorID").GetString()!;
        var read = (await server.JsonAsync(HttpMethod.Get, $"/v1/acl/token/{accessor}", management)).GetRawText();

        var updated = await server.JsonAsync(HttpMethod.Put, $"/v1/acl/token/{accessor}", management, read.Replace("\"before\"", "\"after\"", StringComparison.Ordinal));

        Assert.Equal("after", updated.GetProperty("Description").GetString());
        Assert.Equal(created.GetProperty("ExpirationTime").GetDateTimeOffset(), updated.GetProperty("ExpirationTime").GetDateTimeOffset());
    }

    [Fact]
    public async Task TokenWithExpirationTtl_ShowsItsExpiry()
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();

        var created = await server.JsonAsync(HttpMethod.Put, "/v1/acl/token", management, """{"ExpirationTTL":"1h"}""");

        var expires = created.GetProperty("ExpirationTime").GetDateTimeOffset();
        var createdAt = created.GetProperty("CreateTime").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromHours(1), expires - createdAt);
    }

    [Theory]
    [InlineData("""{"Policies":[{"Name":"nope"}]}""", "policies[0] names no policy")]
    [InlineData("""{"Policies":[{}]}""", "policies[0] must give the policy's id or name")]
    [InlineData("""{"Policies":"orders"}""", "Request decode failed: 'Policies' expected type '[]map'")]
    [InlineData("""{"ExpirationTTL":"forever"}""", "Request decode failed: time: invalid duration")]
    [InlineData("""{"ExpirationTTL":"1s"}""", "expiration_ttl must be between")]
    [InlineData("""{"ExpirationTTL":1e30}""", "expiration_ttl must be between")] // nanoseconds past the last representable time
    [InlineData("""{"ExpirationTime":"tomorrow"}""", "Request decode failed: 'ExpirationTime' must be an RFC 3339 time")]
    [InlineData("""{"SecretID":"not-a-guid"}""", "secret_id must be a GUID")]
    [InlineData("""{"Roles":[{"Name":"r"}]}""", "Roles are not supported")]
    public async Task BadTokenBody_400NamingTheField_NothingCreated(string body, string expected)
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();

        await server.AssertRefusedAsync("/v1/acl/token", management, body, expected, "/v1/acl/tokens", before: 1); // the bootstrap token only
    }
}

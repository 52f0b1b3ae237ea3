namespace Switchboard.Server.Tests.Consul.Acl;

public sealed class ConsulAclRefusalTests
{
    public static TheoryData<string, string> Routes => new()
    {
        { "PUT", "/v1/acl/bootstrap" },
        { "PUT", "/v1/acl/policy" },
        { "GET", "/v1/acl/policy/00000000-0000-0000-0000-000000000001" },
        { "GET", "/v1/acl/policy/name/global-management" },
        { "PUT", "/v1/acl/policy/00000000-0000-0000-0000-000000000001" },
        { "DELETE", "/v1/acl/policy/00000000-0000-0000-0000-000000000001" },
        { "GET", "/v1/acl/policies" },
        { "PUT", "/v1/acl/token" },
        { "GET", "/v1/acl/token/self" },
        { "GET", "/v1/acl/token/00000000-0000-0000-0000-000000000002" },
        { "PUT", "/v1/acl/token/00000000-0000-0000-0000-000000000002" },
        { "DELETE", "/v1/acl/token/00000000-0000-0000-0000-000000000002" },
        { "GET", "/v1/acl/tokens" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AclsDisabled_EveryRoute401(string method, string path)
    {
        await using var server = await AclServer.StartAsync(enabled: false);

        using var response = await server.SendAsync(new HttpMethod(method), path, null, method == "PUT" ? "{}" : null);

        await ConsulHttp.AssertTextAsync(response, 401, "ACL support disabled");
    }

    [Fact]
    public async Task UnknownToken_403AclNotFound_OnReadsWritesAndSelf()
    {
        await using var server = await AclServer.StartAsync();
        await server.BootstrapAsync();
        var unknown = Guid.NewGuid().ToString();

        foreach (var (method, path, body) in new[] { ("GET", "/v1/acl/policies", null), ("PUT", "/v1/acl/policy", """{"Name":"p"}"""), ("GET", "/v1/acl/token/self", (string?)null) })
        {
            using var response = await server.SendAsync(new HttpMethod(method), path, unknown, body);
            await ConsulHttp.AssertTextAsync(response, 403, "ACL not found");
        }
    }

    [Fact]
    public async Task TokenWithoutAclWrite_403NamingAclWrite_NothingCreated()
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();
        var reader = await server.TokenWithRulesAsync(management, "acl-reader", """{"acl":"read"}""");
        var (accessor, secret) = (reader.GetProperty("AccessorID").GetString(), reader.GetProperty("SecretID").GetString()!);

        using var write = await server.SendAsync(HttpMethod.Put, "/v1/acl/policy", secret, """{"Name":"sneaky"}""");
        await ConsulHttp.AssertTextAsync(write, 403, $"Permission denied: token with AccessorID '{accessor}' lacks permission 'acl:write'");
        Assert.Equal(2, (await server.JsonAsync(HttpMethod.Get, "/v1/acl/policies", secret)).GetArrayLength()); // acl:read reads

        var plain = await server.TokenWithRulesAsync(management, "orders", """{"service":{"orders":{"policy":"write"}}}""");
        using var read = await server.SendAsync(HttpMethod.Get, "/v1/acl/tokens", plain.GetProperty("SecretID").GetString());
        await ConsulHttp.AssertTextAsync(read, 403, $"Permission denied: token with AccessorID '{plain.GetProperty("AccessorID").GetString()}' lacks permission 'acl:read'");
    }

    [Fact]
    public async Task Anonymous_DeniedAclRead_ButMayBootstrap()
    {
        await using var server = await AclServer.StartAsync(defaultPolicy: "allow");

        using var list = await server.SendAsync(HttpMethod.Get, "/v1/acl/policies", null);
        await ConsulHttp.AssertTextAsync(list, 403, "Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'acl:read'");
        await server.BootstrapAsync();
    }

    [Fact]
    public async Task OtherMethod_405NamingTheAllowedOnes()
    {
        await using var server = await AclServer.StartAsync();

        using var response = await server.SendAsync(HttpMethod.Post, "/v1/acl/policy/x", null, "{}");

        Assert.Equal(405, (int)response.StatusCode);
        Assert.Equal("GET, PUT, DELETE", response.Content.Headers.Allow.Count > 0 ? string.Join(", ", response.Content.Headers.Allow) : string.Join(", ", response.Headers.GetValues("Allow")));
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Server.Tests.Audit;

/// <summary>Writes to routes the registry does not map itself (the Consul ACL routes, added elsewhere) are audited by method and route shape.</summary>
public sealed class AclRouteAuditTests
{
    /// <summary>The registry's own ACL routes, with ACLs off: each answers Consul's 401 and is audited by its route.</summary>
    [Theory]
    [InlineData("PUT", "/v1/acl/bootstrap", "/v1/acl/bootstrap", "acl.bootstrap", "")]
    [InlineData("PUT", "/v1/acl/token", "/v1/acl/token", "acl.token.create", "")]
    [InlineData("PUT", "/v1/acl/token/{accessor}", "/v1/acl/token/5e1a0c3b", "acl.token.update", "5e1a0c3b")]
    [InlineData("DELETE", "/v1/acl/token/{accessor}", "/v1/acl/token/5e1a0c3b", "acl.token.delete", "5e1a0c3b")]
    [InlineData("PUT", "/v1/acl/policy", "/v1/acl/policy", "acl.policy.create", "")]
    [InlineData("PUT", "/v1/acl/policy/{id}", "/v1/acl/policy/p-1", "acl.policy.update", "p-1")]
    [InlineData("DELETE", "/v1/acl/policy/{id}", "/v1/acl/policy/p-1", "acl.policy.delete", "p-1")]
    public async Task AclWrites_NamedByRoute(string method, string pattern, string path, string operation, string target)
        => await AssertAuditedAsync(method, pattern, path, operation, target, StatusCodes.Status401Unauthorized, map: null);

    /// <summary>Write routes the registry does not map (a host's own, or ones to come) are named by their shape too.</summary>
    [Theory]
    [InlineData("PUT", "/v1/acl/token/{accessor_id}/clone", "/v1/acl/token/5e1a0c3b/clone", "acl.token.clone", "5e1a0c3b")]
    [InlineData("POST", "/v1/acl/login", "/v1/acl/login", "acl.login", "")]
    public async Task OtherWrites_NamedByRouteShape(string method, string pattern, string path, string operation, string target)
        => await AssertAuditedAsync(method, pattern, path, operation, target, StatusCodes.Status403Forbidden,
            map: app => app.MapMethods(pattern, [method], () => Results.StatusCode(StatusCodes.Status403Forbidden)));

    private static async Task AssertAuditedAsync(string method, string pattern, string path, string operation, string target, int status, Action<WebApplication>? map)
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await TestServer.StartAsync(app =>
        {
            app.MapSwitchboardApi();
            map?.Invoke(app);
        }, builder =>
        {
            builder.Services.AddSwitchboardRegistry().UseInMemoryStore();
            builder.Logging.AddProvider(logs);
        });
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        (await http.SendAsync(request, TestContext.Current.CancellationToken)).Dispose();

        var e = Assert.Single(logs.Events);
        Assert.Equal(operation, e["Operation"]);
        Assert.Equal(target, e["Target"]);
        Assert.Equal(status, (int)e.Fields["StatusCode"]!);
        Assert.Equal(pattern, e["Route"]);
    }

    [Fact]
    public async Task ControlCharactersInTheTarget_AreEscaped()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await TestServer.StartAsync(app => app.MapSwitchboardApi(), builder =>
        {
            builder.Services.AddSwitchboardRegistry().UseInMemoryStore();
            builder.Logging.AddProvider(logs);
        });
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        (await http.PutAsync("/v1/agent/check/pass/x%0Awrite%20register%20target=forged", null, TestContext.Current.CancellationToken)).Dispose();

        var e = Assert.Single(logs.Events);
        Assert.Equal("x\\u000awrite register target=forged", e["Target"]);
        Assert.DoesNotContain('\n', e.Message);
    }
}

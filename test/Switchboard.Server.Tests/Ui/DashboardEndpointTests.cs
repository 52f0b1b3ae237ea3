using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Server.Tests.Ui;

/// <summary><c>/ui</c> in an app that maps the registry API: the shell, its assets, the 404 page and the permissions route.</summary>
public sealed class DashboardEndpointTests
{
    [Theory]
    [InlineData("/ui")]
    [InlineData("/ui/")]
    [InlineData("/ui/services")]
    [InlineData("/ui/services/orders")]
    [InlineData("/ui/health/")]
    [InlineData("/ui/events")]
    public async Task PageRoutes_AnswerTheShell_WithAStrictPolicy(string path)
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'; script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("/ui/assets/app.js", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/ui/nope")]
    [InlineData("/ui/services/orders/extra")]
    public async Task UnknownRoutes_AnswerTheShellWith404(string path)
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Assets_HaveTheirTypes_AnETag_AndAMissingOneIs404()
    {
        await using var server = await RegistryServer.StartAsync();
        using var script = await server.Client.GetAsync(new Uri("/ui/assets/app.js", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var css = await server.Client.GetAsync(new Uri("/ui/assets/app.css", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);

        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("/ui/assets/app.js", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        using var notModified = await server.Client.SendAsync(again, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var missing = await server.Client.GetAsync(new Uri("/ui/assets/nope.js", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Permissions_WithoutAcls_AllowReading_AndAnInvalidServiceIsAProblemNamingIt()
    {
        await using var server = await RegistryServer.StartAsync();
        var answer = await server.Client.GetFromJsonAsync<JsonElement>("/service-discovery/ui/permissions?service=orders", TestContext.Current.CancellationToken);
        Assert.False(answer.GetProperty("acl_enabled").GetBoolean());
        Assert.True(answer.GetProperty("read").GetBoolean());
        Assert.True(answer.GetProperty("write").GetBoolean());

        using var invalid = await server.Client.GetAsync(new Uri("/service-discovery/ui/permissions?service=Not_A_Name", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty("service", out _));
    }

    [Fact]
    public async Task Permissions_WithAcls_NameWhatTheTokenMayDo()
    {
        await using var server = await Switchboard.Server.Tests.Consul.Acl.AclServer.StartAsync();
        var management = await server.BootstrapAsync();
        var anonymous = await server.JsonAsync(HttpMethod.Get, "/service-discovery/ui/permissions?service=orders", token: null);
        Assert.True(anonymous.GetProperty("acl_enabled").GetBoolean());
        Assert.False(anonymous.GetProperty("token_sent").GetBoolean());
        Assert.False(anonymous.GetProperty("read").GetBoolean());

        var managing = await server.JsonAsync(HttpMethod.Get, "/service-discovery/ui/permissions?service=orders", management);
        Assert.True(managing.GetProperty("token_sent").GetBoolean());
        Assert.True(managing.GetProperty("write").GetBoolean());

        using var refused = await server.SendAsync(HttpMethod.Get, "/service-discovery/ui/permissions", "00000000-0000-4000-8000-000000000000");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}

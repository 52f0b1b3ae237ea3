using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Server.Tests.Consul.Acl;

/// <summary>The registry on real Kestrel with ACLs on (default deny unless told) over the in-memory stores, and the calls the ACL tests make.</summary>
internal sealed class AclServer : IAsyncDisposable
{
    private readonly TestServer _server;

    private AclServer(TestServer server)
    {
        _server = server;
        Client = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public static async Task<AclServer> StartAsync(bool enabled = true, string defaultPolicy = "deny")
    {
        var server = await TestServer.StartAsync(app => app.MapSwitchboardApi(), builder =>
        {
            builder.Configuration["Switchboard:Acl:Enabled"] = enabled ? "true" : "false";
            builder.Configuration["Switchboard:Acl:DefaultPolicy"] = defaultPolicy;
            builder.Services.AddSwitchboardRegistry().UseInMemoryStore();
        });
        return new AclServer(server);
    }

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with the secret as <c>X-Consul-Token</c> (none when null).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (token is not null)
            request.Headers.Add("X-Consul-Token", token);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends and asserts a 200, returning the JSON answer.</summary>
    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, string? token, string? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts that the body is refused with 400 starting with <paramref name="expected"/> and that nothing was added to <paramref name="listPath"/> (<paramref name="before"/> entries).</summary>
    public async Task AssertRefusedAsync(string path, string token, string body, string expected, string listPath, int before)
    {
        using var response = await SendAsync(HttpMethod.Put, path, token, body);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.StartsWith(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(before, (await JsonAsync(HttpMethod.Get, listPath, token)).GetArrayLength());
    }

    /// <summary>Bootstraps and returns the management token's secret.</summary>
    public async Task<string> BootstrapAsync()
        => (await JsonAsync(HttpMethod.Put, "/v1/acl/bootstrap", null)).GetProperty("SecretID").GetString()!;

    /// <summary>Creates a policy with <paramref name="rules"/> (JSON) and a token holding it; returns the token's answer.</summary>
    public async Task<JsonElement> TokenWithRulesAsync(string management, string policyName, string rules)
    {
        await JsonAsync(HttpMethod.Put, "/v1/acl/policy", management, JsonSerializer.Serialize(new { Name = policyName, Rules = rules }));
        return await JsonAsync(HttpMethod.Put, "/v1/acl/token", management, $$"""{"Description":"for {{policyName}}","Policies":[{"Name":"{{policyName}}"}]}""");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Api;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Tests.KeyValues;

/// <summary>
/// ACLs on (default allow, so the secret rules are seen apart from the default): key and key_prefix rules on both APIs,
/// filtered listings, recursive deletes needing write on the whole prefix, and secrets readable only through an explicit rule.
/// </summary>
public sealed class KvAclTests : IAsyncLifetime
{
    private const string Management = "0f6a3b9e-2c1d-4e5f-8a7b-9c0d1e2f3a4b";
    private RegistryServer _server = null!;
    private string _app = null!;
    private string _secretReader = null!;
    private string _plain = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await RegistryServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Switchboard:Acl:Enabled"] = "true",
            ["Switchboard:Acl:DefaultPolicy"] = "allow",
            ["Switchboard:Acl:InitialManagementToken"] = Management,
        });
        var acl = _server.Services.GetRequiredService<AclService>();
        _app = await TokenAsync(acl, "app", """{"key_prefix":{"":{"policy":"deny"},"app/":{"policy":"write"},"app/locked/":{"policy":"read"}},"key":{"app-readme":{"policy":"read"}}}""");
        _secretReader = await TokenAsync(acl, "secret-reader", """{"key_prefix":{"secrets/db/":{"policy":"read"}}}""");
        _plain = await TokenAsync(acl, "plain", """{"service_prefix":{"":{"policy":"read"}}}""");
        foreach (var key in new[] { "app/a", "app/locked/b", "app-readme", "other", "secrets/db/password", "secrets/api/key" })
        {
            using var put = await SendAsync(HttpMethod.Put, "/v1/kv/" + key, Management, "value of " + key);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static async Task<string> TokenAsync(AclService acl, string name, string rules)
    {
        var policy = await acl.CreatePolicyAsync(new AclPolicyRequest(name, Rules: rules), Ct);
        return (await acl.CreateTokenAsync(new AclTokenRequest(name, [new AclPolicyLink(policy.Id, null)]), Ct)).SecretId;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        return await _server.Client.SendAsync(request, Ct);
    }

    private async Task<string[]> KeysAsync(string path, string? token)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return [];
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetProperty("Key").GetString()!)];
    }

    [Fact]
    public async Task KeyPrefixRules_ReadAndWrite_BothApis_403NamingTheKey()
    {
        using (var write = await SendAsync(HttpMethod.Put, "/v1/kv/app/new", _app, "x"))
            Assert.Equal("true", await write.Content.ReadAsStringAsync(Ct));
        using (var locked = await SendAsync(HttpMethod.Put, "/v1/kv/app/locked/b", _app, "x"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
            Assert.Equal("Permission denied: token with AccessorID '" + Accessor("app") + "' lacks permission 'key:write' on \"app/locked/b\"",
                await locked.Content.ReadAsStringAsync(Ct));
        }
        using (var readme = await SendAsync(HttpMethod.Get, "/v1/kv/app-readme", _app))
            Assert.Equal(HttpStatusCode.OK, readme.StatusCode);
        using (var other = await SendAsync(HttpMethod.Get, "/v1/kv/other", _app))
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);

        using var native = await SendAsync(HttpMethod.Put, RegistryRoutes.KeyValue("other"), _app, "x");
        Assert.Equal(HttpStatusCode.Forbidden, native.StatusCode);
        var problem = await native.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("key:write", problem.GetProperty("permission").GetString());
        Assert.Equal("other", problem.GetProperty("resource").GetString());
    }

    [Fact]
    public async Task Listings_FilteredToReadableKeys_WithConsulsHeader()
    {
        using var response = await SendAsync(HttpMethod.Get, "/v1/kv/?recurse", _app);
        Assert.Equal("true", response.Headers.GetValues("X-Consul-Results-Filtered-By-ACLs").Single());
        Assert.Equal(["app-readme", "app/a", "app/locked/b"], await KeysAsync("/v1/kv/?recurse", _app));
        Assert.Equal(["app-readme", "app/"], await KeysAsync("/v1/kv/?keys&separator=/", _app));
        Assert.Equal(["app-readme", "app/a", "app/locked/b"], await KeysAsync(RegistryRoutes.KeyValues + "?keys=true", _app));
    }

    [Fact]
    public async Task RecursiveDelete_NeedsWriteOnTheWholePrefix()
    {
        using (var refused = await SendAsync(HttpMethod.Delete, "/v1/kv/app/?recurse", _app))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode); // app/locked/ is read-only under it
        using (var nativeRefused = await SendAsync(HttpMethod.Delete, RegistryRoutes.KeyValue("app/") + "?recurse=true", _app))
            Assert.Equal(HttpStatusCode.Forbidden, nativeRefused.StatusCode);
        Assert.Equal(["app/a", "app/locked/b"], await KeysAsync("/v1/kv/app/?keys", Management));

        using (var allowed = await SendAsync(HttpMethod.Delete, "/v1/kv/app/a?recurse", _app))
            Assert.Equal("true", await allowed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["app/locked/b"], await KeysAsync("/v1/kv/app/?keys", Management));
    }

    [Fact]
    public async Task Secrets_OnlyAnExplicitRuleOrManagementReads_TheDefaultAllowDoesNot_NeverListedToOthers()
    {
        // The plain token reads ordinary keys through the default policy (allow), but no secret.
        using (var ordinary = await SendAsync(HttpMethod.Get, "/v1/kv/other", _plain))
            Assert.Equal(HttpStatusCode.OK, ordinary.StatusCode);
        using (var secret = await SendAsync(HttpMethod.Get, "/v1/kv/secrets/db/password", _plain))
        {
            Assert.Equal(HttpStatusCode.Forbidden, secret.StatusCode);
            Assert.Contains("lacks permission 'key:read' on \"secrets/db/password\"", await secret.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        using (var nativeSecret = await SendAsync(HttpMethod.Get, RegistryRoutes.KeyValue("secrets/db/password"), _plain))
            Assert.Equal(HttpStatusCode.Forbidden, nativeSecret.StatusCode);
        Assert.Equal(["app-readme", "app/a", "app/locked/b", "other"], await KeysAsync("/v1/kv/?keys", _plain));
        Assert.Empty(await KeysAsync("/v1/kv/secrets/?recurse", _plain));

        // The explicit rule covers secrets/db/ only.
        using (var covered = await SendAsync(HttpMethod.Get, "/v1/kv/secrets/db/password?raw", _secretReader))
            Assert.Equal("value of secrets/db/password", await covered.Content.ReadAsStringAsync(Ct));
        using (var uncovered = await SendAsync(HttpMethod.Get, "/v1/kv/secrets/api/key", _secretReader))
            Assert.Equal(HttpStatusCode.Forbidden, uncovered.StatusCode);
        Assert.Equal(["secrets/db/password"], await KeysAsync("/v1/kv/secrets/?keys", _secretReader));

        Assert.Equal(["secrets/api/key", "secrets/db/password"], await KeysAsync("/v1/kv/secrets/?keys", Management));
    }

    private string Accessor(string description)
        => _server.Services.GetRequiredService<AclService>().ListTokens().Single(t => t.Description == description).AccessorId;
}

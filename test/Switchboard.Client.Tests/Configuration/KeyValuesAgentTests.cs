using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Switchboard.Client.Configuration;

namespace Switchboard.Client.Tests.Configuration;

/// <summary>
/// <c>AddSwitchboardKeyValues</c> in a running ASP.NET app (real Kestrel) against the real agent: IOptionsMonitor sees a
/// PUT, the app starts while the registry is down and gets the values when it comes up, keeps them while it is away,
/// and reads scoped secrets with its own token.
/// </summary>
public sealed class KeyValuesAgentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-kv-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class OrdersSettings
    {
        public string Color { get; set; } = "none";

        public int Retries { get; set; }
    }

    /// <summary>An app reading <c>app/orders/</c> into <see cref="OrdersSettings"/>, serving <c>IOptionsMonitor</c>'s current value at <c>/settings</c>.</summary>
    private static Task<TestServer> StartAppAsync(Uri registry, Action<SwitchboardKeyValuesOptions>? configure = null, string prefix = "app/orders/", string? token = null)
        => TestServer.StartAsync(
            app => app.MapGet("/settings", (IOptionsMonitor<OrdersSettings> settings) => Results.Json(settings.CurrentValue)),
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Switchboard:Registries:0"] = registry.ToString(),
                    ["Switchboard:Token"] = token,
                });
                builder.Configuration.AddSwitchboardKeyValues(prefix, o =>
                {
                    o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
                    o.RetryMaxDelay = TimeSpan.FromMilliseconds(500);
                    configure?.Invoke(o);
                });
                builder.Services.Configure<OrdersSettings>(builder.Configuration);
            });

    private static async Task<OrdersSettings> SettingsAsync(TestServer app)
    {
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        return (await http.GetFromJsonAsync<OrdersSettings>("/settings", Ct))!;
    }

    private static async Task UntilAsync(TestServer app, Func<OrdersSettings, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        OrdersSettings last;
        while (!done(last = await SettingsAsync(app)))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out waiting until {what}; the app shows Color={last.Color}, Retries={last.Retries}");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task PutAsync(Uri agent, string key, string value, string? token = null)
    {
        using var http = new HttpClient { BaseAddress = agent };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/kv/" + key) { Content = new StringContent(value, Encoding.UTF8) };
        if (token is not null)
            request.Headers.Add("X-Consul-Token", token);
        using var response = await http.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    [Fact]
    public async Task RunningApp_OptionsMonitorSeesAPut()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");
        await PutAsync(agent.BaseUri, "app/orders/Color", "blue");
        await PutAsync(agent.BaseUri, "app/orders/Retries", "3");
        await PutAsync(agent.BaseUri, "app/billing/Color", "not mine");

        await using var app = await StartAppAsync(agent.BaseUri);
        var first = await SettingsAsync(app);
        Assert.Equal("blue", first.Color); // read before the app started
        Assert.Equal(3, first.Retries);

        await PutAsync(agent.BaseUri, "app/orders/Color", "green");
        await UntilAsync(app, s => s.Color == "green", "IOptionsMonitor shows the new value");

        using var http = new HttpClient { BaseAddress = agent.BaseUri };
        using (await http.DeleteAsync("/v1/kv/app/orders/Retries", Ct)) { }
        await UntilAsync(app, s => s.Retries == 0, "a deleted key leaves configuration");
    }

    [Fact]
    public async Task RegistryDownAtStart_AppStarts_ValuesAppearWhenItComesUp_KeptWhileItIsAway()
    {
        var port = Ports.Free();
        var registry = new Uri($"http://127.0.0.1:{port}/");
        var data = Path.Combine(_dir, "data");
        Task<ServiceProcess> Agent() => AgentProcess.StartAsync(["--bind", "127.0.0.1", "--data-dir", data], new AgentProcess.Options { Port = port });

        // Nothing listens: the app starts at once (no wait asked for) with no values.
        await using var app = await StartAppAsync(registry, o => o.StartupTimeout = TimeSpan.Zero);
        Assert.Equal("none", (await SettingsAsync(app)).Color);

        var agent = await Agent();
        try
        {
            await PutAsync(agent.BaseUri, "app/orders/Color", "blue");
            await UntilAsync(app, s => s.Color == "blue", "the values appear once the registry is up");

            // Away: the last values stay.
            await agent.DisposeAsync();
            var provider = ((IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>()).Providers.OfType<SwitchboardKeyValuesProvider>().Single();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (provider.LastError is null && DateTime.UtcNow < deadline)
                await Task.Delay(50, Ct);
            Assert.NotNull(provider.LastError);
            Assert.Equal("blue", (await SettingsAsync(app)).Color);

            // Back (same data): reads resume, a new value arrives.
            agent = await Agent();
            await PutAsync(agent.BaseUri, "app/orders/Color", "red");
            await UntilAsync(app, s => s.Color == "red", "the values follow the registry again");
        }
        finally
        {
            await agent.DisposeAsync();
        }
    }

    [Fact]
    public async Task NotOptional_RegistryDown_AppFailsToStart_NamingRegistryAndPrefix()
    {
        var registry = new Uri($"http://127.0.0.1:{Ports.Free()}/");
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAppAsync(registry, o =>
        {
            o.Optional = false;
            o.StartupTimeout = TimeSpan.Zero;
        }));
        Assert.Contains(registry.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("'app/orders/'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutualTls_TheSdksTlsSettingsAreUsed()
    {
        using var certificates = TestCertificates.Create("registry.switchboard.test");
        await using var agent = await AgentProcess.StartAsync("--dev", "--tls-cert", certificates.CertificateFile, "--tls-key", certificates.KeyFile,
            "--tls-ca", certificates.CaFile, "--verify-incoming");
        var handler = new SocketsHttpHandler { SslOptions = Switchboard.Tls.ClientTls.Options(certificates.CaFile, certificates.ClientCertificateFile, certificates.ClientKeyFile) };
        using (var http = new HttpClient(handler) { BaseAddress = agent.BaseUri })
        using (var put = await http.PutAsync("/v1/kv/app/orders/Color", new StringContent("tls-blue"), Ct))
            Assert.True(put.IsSuccessStatusCode);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = agent.BaseUri.ToString(),
            ["Switchboard:Tls:CaFile"] = certificates.CaFile,
            ["Switchboard:Tls:ClientCertificateFile"] = certificates.ClientCertificateFile,
            ["Switchboard:Tls:ClientKeyFile"] = certificates.ClientKeyFile,
        }).AddSwitchboardKeyValues("app/orders/", o => o.Optional = false).Build();
        Assert.Equal("tls-blue", configuration["Color"]);
        (configuration as IDisposable)?.Dispose();

        // Without the CA the registry's certificate is not trusted: not optional, the start fails saying so.
        var untrusted = Assert.Throws<InvalidOperationException>(() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = agent.BaseUri.ToString(),
        }).AddSwitchboardKeyValues("app/orders/", o =>
        {
            o.Optional = false;
            o.StartupTimeout = TimeSpan.FromMinutes(1); // a TLS failure does not heal by waiting: it fails at once
        }).Build());
        Assert.Contains(agent.BaseUri.ToString(), untrusted.Message, StringComparison.Ordinal);
        Assert.Contains("TLS handshake failed", untrusted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopedSecrets_ReadWithTheServicesOwnToken()
    {
        await using var agent = await AgentProcess.StartAsync("--dev", "--acl", "--acl-default-policy", "deny");
        using var http = new HttpClient { BaseAddress = agent.BaseUri };
        async Task<JsonElement> AclAsync(string path, string? token, object? body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (token is not null)
                request.Headers.Add("X-Consul-Token", token);
            using var response = await http.SendAsync(request, Ct);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        }
        var management = (await AclAsync("/v1/acl/bootstrap", null, null)).GetProperty("SecretID").GetString()!;
        await AclAsync("/v1/acl/policy", management, new { Name = "orders-secrets", Rules = """{"key_prefix":{"secrets/orders/":{"policy":"read"}}}""" });
        var service = (await AclAsync("/v1/acl/token", management, new { Policies = new[] { new { Name = "orders-secrets" } } })).GetProperty("SecretID").GetString()!;
        await PutAsync(agent.BaseUri, "secrets/orders/Color", "s3cret-blue", management);
        await PutAsync(agent.BaseUri, "secrets/billing/Color", "not-for-orders", management);

        await using var app = await StartAppAsync(agent.BaseUri, prefix: "secrets/orders/", token: service);
        Assert.Equal("s3cret-blue", (await SettingsAsync(app)).Color);

        // Another service's folder: a listing filtered by the token (as Consul's), so nothing of it reaches this app.
        await using var other = await StartAppAsync(agent.BaseUri, prefix: "secrets/billing/", token: service);
        Assert.Equal("none", (await SettingsAsync(other)).Color);
    }
}

using Switchboard.Client.Discovery;
using Switchboard.Client.SelfRegistration;
using Switchboard.Client.RegistryApi;
using Switchboard.Client.Tests.TestSupport;
using Switchboard.Registration;

namespace Switchboard.Client.Tests.Security;

/// <summary>The SDK against the real agent serving mutual TLS with a CA and certificates made by the test.</summary>
public sealed class AgentTlsIntegrationTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create("registry.switchboard.test");

    public void Dispose() => _certificates.Dispose();

    private Dictionary<string, string?> ClientConfig(Uri registry, bool clientCertificate = true)
    {
        var config = new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = registry.ToString(),
            ["Switchboard:Tls:CaFile"] = _certificates.CaFile,
        };
        if (clientCertificate)
        {
            config["Switchboard:Tls:ClientCertificateFile"] = _certificates.ClientCertificateFile;
            config["Switchboard:Tls:ClientKeyFile"] = _certificates.ClientKeyFile;
        }
        return config;
    }

    [Fact]
    public async Task SelfRegistrationAndDiscovery_OverMutualTls()
    {
        await using var agent = await AgentProcess.StartAsync("--dev", "--tls-cert", _certificates.CertificateFile, "--tls-key", _certificates.KeyFile,
            "--tls-ca", _certificates.CaFile, "--verify-incoming");
        Assert.Equal("https", agent.BaseUri.Scheme);
        await using var service = await SelfRegisteringService.StartAsync(ClientConfig(agent.BaseUri));
        var self = service.Services.GetRequiredService<ISelfRegistration>();
        await using var caller = ClientServices.Build(ClientConfig(agent.BaseUri));
        var ct = TestContext.Current.CancellationToken;

        await SelfRegisteringService.Until(async () => self.State == SelfRegistrationState.Registered, "the service registered over mutual TLS");
        var found = await caller.GetRequiredService<IServiceDiscovery>().ResolveAsync(SelfRegisteringService.Name, ct);

        Assert.Equal(DiscoverySource.Registry, found.Source);
        Assert.Equal(service.BaseUri.Port, Assert.Single(found.HealthyEndpoints).Instance.Port);
    }

    [Fact]
    public async Task WithAclsOn_TokenFileOverHttps_SelfRegistersAndDiscovers_NoTokenIsRefused()
    {
        const string management = "6c0e8a4b-2f1d-4e3a-9b7c-1a2b3c4d5e6f";
        await using var agent = await AgentProcess.StartAsync(["--dev", "--tls-cert", _certificates.CertificateFile, "--tls-key", _certificates.KeyFile], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string>
            {
                ["Switchboard__Acl__Enabled"] = "true",
                ["Switchboard__Acl__DefaultPolicy"] = "deny",
                ["Switchboard__Acl__InitialManagementToken"] = management,
            },
        });
        var tokenFile = Path.Combine(_certificates.Folder, "token");
        await File.WriteAllTextAsync(tokenFile, management + "\n", TestContext.Current.CancellationToken);
        var config = ClientConfig(agent.BaseUri, clientCertificate: false);
        config["Switchboard:TokenFile"] = tokenFile;
        await using var service = await SelfRegisteringService.StartAsync(new Dictionary<string, string?>(config));
        var self = service.Services.GetRequiredService<ISelfRegistration>();
        await using var caller = ClientServices.Build(config);
        await using var anonymous = ClientServices.Build(ClientConfig(agent.BaseUri, clientCertificate: false));
        var ct = TestContext.Current.CancellationToken;

        await SelfRegisteringService.Until(async () => self.State == SelfRegistrationState.Registered, "the service registered with its token");
        var found = await caller.GetRequiredService<IServiceDiscovery>().ResolveAsync(SelfRegisteringService.Name, ct);
        Assert.Equal(service.BaseUri.Port, Assert.Single(found.HealthyEndpoints).Instance.Port);

        var refused = await Assert.ThrowsAsync<RegistryRequestException>(() => anonymous.GetRequiredService<ISwitchboardRegistryClient>()
            .RegisterAsync(new ServiceRegistration { ServiceName = "orders", Host = "127.0.0.1", Port = 9000 }, ct));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(agent.Lines, l => l.Contains(management, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutClientCertificate_MutualTlsAgentRefuses()
    {
        await using var agent = await AgentProcess.StartAsync("--dev", "--tls-cert", _certificates.CertificateFile, "--tls-key", _certificates.KeyFile,
            "--tls-ca", _certificates.CaFile, "--verify-incoming");
        await using var anonymous = ClientServices.Build(ClientConfig(agent.BaseUri, clientCertificate: false));

        await Assert.ThrowsAsync<RegistryUnavailableException>(() => anonymous.GetRequiredService<ISwitchboardRegistryClient>()
            .RegisterAsync(new ServiceRegistration { ServiceName = "orders", Host = "127.0.0.1", Port = 9000 }, TestContext.Current.CancellationToken));
    }
}

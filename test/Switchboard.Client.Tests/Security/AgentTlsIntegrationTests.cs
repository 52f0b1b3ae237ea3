using Switchboard.Client.Discovery;
using Switchboard.Client.Registration;
using Switchboard.Client.Registry;
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
    public async Task WithoutClientCertificate_MutualTlsAgentRefuses()
    {
        await using var agent = await AgentProcess.StartAsync("--dev", "--tls-cert", _certificates.CertificateFile, "--tls-key", _certificates.KeyFile,
            "--tls-ca", _certificates.CaFile, "--verify-incoming");
        await using var anonymous = ClientServices.Build(ClientConfig(agent.BaseUri, clientCertificate: false));

        await Assert.ThrowsAsync<RegistryUnavailableException>(() => anonymous.GetRequiredService<ISwitchboardRegistryClient>()
            .RegisterAsync(new ServiceRegistration { ServiceName = "orders", Host = "127.0.0.1", Port = 9000 }, TestContext.Current.CancellationToken));
    }
}

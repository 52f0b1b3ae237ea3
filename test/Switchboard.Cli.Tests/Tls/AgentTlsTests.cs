using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Switchboard.Cli.Tests.Tls;

/// <summary>The real agent serving HTTPS and mutual TLS with a CA and certificates made by the test, and the CLI reaching it.</summary>
public sealed class AgentTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create("registry.switchboard.test");

    public void Dispose() => _certificates.Dispose();

    private Task<ServiceProcess> StartAgentAsync(params string[] args)
        => AgentProcess.StartAsync(["--dev", "--tls-cert", _certificates.CertificateFile, "--tls-key", _certificates.KeyFile, .. args], null);

    private static Task<ProcessResult> Sb(ServiceProcess agent, params string[] args)
        => ProcessRunner.RunCliAsync([.. args, "--registry", agent.BaseUri.ToString()]);

    /// <summary>An HTTP client that trusts only the test CA, presenting <paramref name="clientCertificate"/> when given.</summary>
    private HttpClient Https(ServiceProcess agent, TestCertificates? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(_certificates.CaFile));
        if (clientCertificate is not null)
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(clientCertificate.ClientCertificateFile, clientCertificate.ClientKeyFile)];
        return new HttpClient(handler) { BaseAddress = agent.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    [Fact]
    public async Task Cli_TrustingTheCa_ReadsAndWritesOverHttps()
    {
        await using var agent = await StartAgentAsync();
        Assert.Equal("https", agent.BaseUri.Scheme);

        var registered = await Sb(agent, "register", "--name", "orders", "--host", "10.0.0.5", "--port", "9000", "--ttl", "0", "--ca-file", _certificates.CaFile);
        Assert.Equal(0, registered.ExitCode);
        Assert.Contains("registered orders-10.0.0.5-9000", registered.Stdout, StringComparison.Ordinal);

        var fromEnvironment = ProcessRunner.CliStartInfo(["services", "--json", "--registry", agent.BaseUri.ToString()]);
        fromEnvironment.Environment["SWITCHBOARD_CACERT"] = _certificates.CaFile;
        var services = await ProcessRunner.RunAsync(fromEnvironment);
        Assert.Equal(0, services.ExitCode);
        Assert.Equal("orders", JsonDocument.Parse(services.Stdout).RootElement.GetProperty("services")[0].GetProperty("service_name").GetString());

        var untrusting = await Sb(agent, "services");
        Assert.Equal(1, untrusting.ExitCode);
        Assert.StartsWith($"switchboard: the TLS handshake with the registry at {agent.BaseUri} failed: ", untrusting.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(untrusting.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task MutualTls_RefusesCallersWithoutACertificateTheCaIssued_AcceptsOneWithIt()
    {
        await using var agent = await StartAgentAsync("--tls-ca", _certificates.CaFile, "--verify-incoming");
        using var other = TestCertificates.Create("other.switchboard.test");
        var ct = TestContext.Current.CancellationToken;

        using (var anonymous = Https(agent))
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.GetStringAsync("/health", ct));
        using (var stranger = Https(agent, other))
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => stranger.GetStringAsync("/health", ct));
        using (var known = Https(agent, _certificates))
        {
            using var health = await known.GetAsync("/health", ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var withCertificate = await Sb(agent, "register", "--name", "orders", "--host", "10.0.0.5", "--port", "9000", "--ttl", "0",
            "--ca-file", _certificates.CaFile, "--client-cert", _certificates.ClientCertificateFile, "--client-key", _certificates.ClientKeyFile);
        Assert.Equal(0, withCertificate.ExitCode);
        var consulVariables = ProcessRunner.CliStartInfo(["instances", "orders", "--json", "--registry", agent.BaseUri.ToString()]);
        consulVariables.Environment["CONSUL_CACERT"] = _certificates.CaFile;
        consulVariables.Environment["CONSUL_CLIENT_CERT"] = _certificates.ClientCertificateFile;
        consulVariables.Environment["CONSUL_CLIENT_KEY"] = _certificates.ClientKeyFile;
        var instances = await ProcessRunner.RunAsync(consulVariables);
        Assert.Equal(0, instances.ExitCode);
        Assert.Equal("orders-10.0.0.5-9000", JsonDocument.Parse(instances.Stdout).RootElement[0].GetProperty("instance_id").GetString());

        var withoutCertificate = await Sb(agent, "services", "--ca-file", _certificates.CaFile);
        Assert.Equal(1, withoutCertificate.ExitCode);
        Assert.Equal($"switchboard: the registry at {agent.BaseUri} closed the connection without answering "
            + "(an agent with --verify-incoming refuses callers without a client certificate its CA issued: --client-cert and --client-key)", withoutCertificate.Stderr.Trim());
    }

    [Fact]
    public async Task CertificateReplacedOnDisk_IsServedWithoutARestart()
    {
        // Configured through Switchboard:Tls (environment) rather than the options, with a short check interval.
        await using var agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string>
            {
                ["Switchboard__Tls__CertFile"] = _certificates.CertificateFile,
                ["Switchboard__Tls__KeyFile"] = _certificates.KeyFile,
                ["Switchboard__Tls__ReloadCheckInterval"] = "00:00:00.200",
            },
        });
        var first = _certificates.ServerThumbprint;
        Assert.Equal(first, await ServedThumbprintAsync(agent.BaseUri));

        var renewed = _certificates.RenewServerCertificate();

        Assert.NotEqual(first, renewed);
        await Eventually.UntilAsync(() => ServedThumbprintAsync(agent.BaseUri), served => served == renewed, "the renewed certificate to be served");
        Assert.False(agent.HasExited);
        using var https = Https(agent);
        using var health = await https.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>The thumbprint of the certificate the agent presents in a new handshake.</summary>
    private static async Task<string> ServedThumbprintAsync(Uri agent)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(agent.Host, agent.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = (_, _, _, _) => true, // only looking at which certificate is served
        });
        return tls.RemoteCertificate!.GetCertHashString();
    }

    [Theory]
    [InlineData("missing-cert", "Switchboard:Tls:CertFile (--tls-cert): cannot use '{missing}': the file does not exist.")]
    [InlineData("cert-not-pem", "Switchboard:Tls:CertFile (--tls-cert): cannot use '{key}': it holds no PEM certificate (-----BEGIN CERTIFICATE-----).")]
    [InlineData("key-not-pem", "Switchboard:Tls:KeyFile (--tls-key): cannot use '{cert}': it holds no PEM private key (-----BEGIN PRIVATE KEY-----).")]
    [InlineData("key-not-matching", "Switchboard:Tls:KeyFile (--tls-key): cannot use '{client-key}': the key does not match the certificate in '{cert}'.")]
    [InlineData("client-cert-served", "Switchboard:Tls:CertFile (--tls-cert): cannot use '{client-cert}': the certificate's extended key usage does not allow server authentication.")]
    [InlineData("missing-ca", "Switchboard:Tls:CaFile (--tls-ca): cannot use '{missing}': the file does not exist.")]
    [InlineData("ca-is-directory", "Switchboard:Tls:CaFile (--tls-ca): cannot use '{folder}': it is a directory, not a file.")]
    [InlineData("verify-without-ca", "Switchboard:Tls:VerifyIncoming (--verify-incoming) needs Switchboard:Tls:CaFile (--tls-ca): the certificate authority whose client certificates are accepted.")]
    [InlineData("cert-without-key", "Switchboard:Tls:CertFile (--tls-cert) is set but Switchboard:Tls:KeyFile (--tls-key) is not; both are needed.")]
    public async Task Agent_UnusableTlsSettings_ExitWithOneLineNamingTheOptionAndFile(string kind, string expected)
    {
        var missing = Path.Combine(_certificates.Folder, "nope.pem");
        var c = _certificates;
        string[] args = kind switch
        {
            "missing-cert" => ["--tls-cert", missing, "--tls-key", c.KeyFile],
            "cert-not-pem" => ["--tls-cert", c.KeyFile, "--tls-key", c.KeyFile],
            "key-not-pem" => ["--tls-cert", c.CertificateFile, "--tls-key", c.CertificateFile],
            "key-not-matching" => ["--tls-cert", c.CertificateFile, "--tls-key", c.ClientKeyFile],
            "client-cert-served" => ["--tls-cert", c.ClientCertificateFile, "--tls-key", c.ClientKeyFile],
            "missing-ca" => ["--tls-cert", c.CertificateFile, "--tls-key", c.KeyFile, "--tls-ca", missing, "--verify-incoming"],
            "ca-is-directory" => ["--tls-cert", c.CertificateFile, "--tls-key", c.KeyFile, "--tls-ca", c.Folder, "--verify-incoming"],
            "verify-without-ca" => ["--tls-cert", c.CertificateFile, "--tls-key", c.KeyFile, "--verify-incoming"],
            _ => ["--tls-cert", c.CertificateFile],
        };

        var (exitCode, stdout, stderr) = await AgentProcess.RunToExitAsync(["--dev", .. args]);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        var message = expected.Replace("{missing}", missing, StringComparison.Ordinal).Replace("{key}", c.KeyFile, StringComparison.Ordinal)
            .Replace("{cert}", c.CertificateFile, StringComparison.Ordinal).Replace("{client-key}", c.ClientKeyFile, StringComparison.Ordinal)
            .Replace("{client-cert}", c.ClientCertificateFile, StringComparison.Ordinal).Replace("{folder}", c.Folder, StringComparison.Ordinal);
        Assert.Equal($"switchboard: invalid configuration: {message}", stderr.Trim());
    }

    [Theory]
    [InlineData("--ca-file", "SWITCHBOARD_CACERT")]
    [InlineData("--client-cert", "SWITCHBOARD_CLIENT_CERT")]
    public async Task Cli_UnusableFile_OneLineNamingTheOptionOrVariable(string option, string variable)
    {
        var missing = Path.Combine(_certificates.Folder, "nope.pem");
        string[] pair = option == "--client-cert" ? ["--client-key", _certificates.ClientKeyFile] : [];

        var fromOption = await ProcessRunner.RunCliAsync(["services", "--registry", "https://127.0.0.1:1", option, missing, .. pair]);
        Assert.Equal(2, fromOption.ExitCode);
        Assert.Equal($"switchboard: {option}: cannot use '{missing}': the file does not exist", fromOption.Stderr.Trim());

        var info = ProcessRunner.CliStartInfo(["services", "--registry", "https://127.0.0.1:1", .. pair]);
        info.Environment[variable] = _certificates.Folder;
        var fromVariable = await ProcessRunner.RunAsync(info);
        Assert.Equal(2, fromVariable.ExitCode);
        Assert.Equal($"switchboard: {variable}: cannot use '{_certificates.Folder}': it is a directory, not a file", fromVariable.Stderr.Trim());
    }
}

using StackExchange.Redis;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>A real agent over a real TLS-only redis-server whose certificate a throw-away CA issued.</summary>
public sealed class TlsAgentTests : IAsyncLifetime
{
    private readonly string _ns = "t" + Guid.NewGuid().ToString("N")[..8];
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private RedisServer _redis = null!;
    private ServiceProcess? _agent;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync(new RedisServerSettings { Tls = _certificates });

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
            await _agent.DisposeAsync();
        await _redis.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task Agent_TrustingTheCa_RegistersAndDiscoversOverTls()
    {
        var agent = _agent = await RedisAgent.StartAsync("t", ["--redis", _redis.ConnectionString, "--redis-ca", _certificates.CaFile, "--redis-namespace", _ns]);

        await agent.RegisterAsync("o1");

        Assert.Equal("o1", await agent.DiscoverAsync());
        var config = ConfigurationOptions.Parse(_redis.ConnectionString);
        config.TrustIssuer(_certificates.CaFile);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(config);
        Assert.True(await redis.GetDatabase().KeyExistsAsync("{" + _ns + "}:instance:o1"), "the registration went to Redis over TLS");
    }

    [Fact]
    public async Task Agent_NotTrustingTheServerCertificate_ExitsWithOneReadableLine()
    {
        var (exitCode, _, stderr) = await RedisAgent.RunToExitAsync(["--redis", _redis.ConnectionString]);

        Assert.Equal(1, exitCode);
        Assert.Equal($"switchboard: cannot connect to Redis at {_redis.Endpoint}: the TLS handshake failed: the server's certificate is not trusted "
            + "(pass the CA that issued it with --redis-ca or Switchboard:Store:Redis:TrustedCaFile, and check that sslHost= names the server)", stderr.Trim());
    }

    [Fact]
    public async Task Agent_PlainTextToATlsPort_ExitsWithOneReadableLine()
    {
        var (exitCode, _, stderr) = await RedisAgent.RunToExitAsync(["--redis", _redis.Endpoint]);

        Assert.Equal(1, exitCode);
        Assert.Equal($"switchboard: cannot connect to Redis at {_redis.Endpoint}: nothing answered (is Redis running there, and is the port right? If it serves TLS, add ssl=true)",
            stderr.Trim());
    }

    [Theory]
    [InlineData("missing", "the file does not exist")]
    [InlineData("directory", "it is a directory, not a certificate file")]
    [InlineData("garbage", "it does not hold a PEM or DER certificate")]
    public async Task Agent_UnusableCaFile_ExitsWithOneLineNamingTheOption(string kind, string problem)
    {
        var path = kind switch
        {
            "missing" => Path.Combine(_certificates.Folder, "nope.pem"),
            "directory" => _certificates.Folder,
            _ => _certificates.KeyFile, // a key, not a certificate
        };

        var (exitCode, _, stderr) = await RedisAgent.RunToExitAsync(["--redis", _redis.ConnectionString, "--redis-ca", path]);

        Assert.Equal(1, exitCode);
        Assert.Equal($"switchboard: invalid configuration: Switchboard:Store:Redis:TrustedCaFile (--redis-ca): cannot use '{path}': {problem}.", stderr.Trim());
    }

    [Fact]
    public async Task Agent_CaWithoutTls_ExitsWithOneLineNamingTheOption()
    {
        var (exitCode, _, stderr) = await RedisAgent.RunToExitAsync(["--redis", _redis.Endpoint, "--redis-ca", _certificates.CaFile]);

        Assert.Equal(1, exitCode);
        Assert.Equal("switchboard: invalid configuration: Switchboard:Store:Redis:TrustedCaFile (--redis-ca) is set but the Redis connection string does not turn TLS on (add ssl=true).",
            stderr.Trim());
    }
}

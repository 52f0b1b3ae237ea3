namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>In-process nodes over a real TLS-only redis-server whose certificate a throw-away CA issued.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly RedisNodes _nodes = new();
    private RedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync(new RedisServerSettings { Tls = _certificates });

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        await _redis.DisposeAsync();
        _certificates.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<RedisNode> StartAsync(string id)
        => _nodes.StartAsync(_redis.ConnectionString, id, trustedCaFile: _certificates.CaFile);

    [Fact]
    public async Task TwoNodes_TrustingTheCa_ReplicateOverTls()
    {
        var a = await StartAsync("a");
        var b = await StartAsync("b");

        await TwoNodeScenario.RunAsync(a, b, "orders-1", Ct);
    }

    [Fact]
    public async Task Node_WhoseSslHostIsNotOnTheCertificate_FailsSayingTheCertificateIsNotTrusted()
    {
        var node = RedisNode.Create($"{_redis.Endpoint},ssl=true,sslHost=elsewhere.test", _nodes.Time, "a", _nodes.Namespace, trustedCaFile: _certificates.CaFile);
        await using var _ = node;

        var ex = await Assert.ThrowsAsync<RedisStoreUnavailableException>(() => node.Catalog.LoadAsync(Ct));

        Assert.StartsWith($"cannot connect to Redis at {_redis.Endpoint}: the TLS handshake failed: the server's certificate is not trusted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_SpeakingTlsToAPlainPort_FailsSayingTheHandshakeFailed()
    {
        await using var plain = await RedisServer.StartAsync();
        var node = RedisNode.Create($"{plain.Endpoint},ssl=true,sslHost={_certificates.Host}", _nodes.Time, "a", _nodes.Namespace, trustedCaFile: _certificates.CaFile);
        await using var _ = node;

        var ex = await Assert.ThrowsAsync<RedisStoreUnavailableException>(() => node.Catalog.LoadAsync(Ct));

        Assert.StartsWith($"cannot connect to Redis at {plain.Endpoint}: the TLS handshake failed (does the server serve TLS on that port?)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Tls;

namespace Switchboard.Cli.Agent.Tls;

/// <summary>
/// With mutual TLS, the agent's own warm-up request has no certificate the callers' authority issued: it presents this
/// throw-away one instead, made at start and kept only in memory, which the agent accepts until the warm-up ends.
/// </summary>
internal sealed class WarmUpIdentity
{
    private readonly X509Certificate2 _certificate;
    private byte[]? _accepted;

    public WarmUpIdentity(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=switchboard agent warm-up", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TrustedRoots.ClientAuthentication)], false));
        var now = time.GetUtcNow();
        _certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        _accepted = _certificate.RawData;
        ClientContext = SslStreamCertificateContext.Create(_certificate, additionalCertificates: null, offline: true);
    }

    /// <summary>The certificate for the warm-up's client side.</summary>
    public SslStreamCertificateContext ClientContext { get; }

    /// <summary>Whether <paramref name="certificate"/> is this identity and the warm-up has not ended.</summary>
    public bool Accepts(X509Certificate certificate)
        => Volatile.Read(ref _accepted) is { } accepted && certificate.GetRawCertData().AsSpan().SequenceEqual(accepted);

    /// <summary>From now on the certificate is refused like any other the callers' authority did not issue.</summary>
    public void End() => Volatile.Write(ref _accepted, null);
}

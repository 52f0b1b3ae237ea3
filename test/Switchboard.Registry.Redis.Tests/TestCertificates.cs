using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Registry.Redis.Tests;

/// <summary>
/// A throw-away certificate authority and a server certificate it issued for <see cref="Host"/> and 127.0.0.1, written as
/// PEM files to a temp folder (deleted on dispose): what a TLS redis-server serves and what a client is told to trust.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-tls-" + Guid.NewGuid().ToString("N"));

    private TestCertificates(string host)
    {
        Host = host;
        Directory.CreateDirectory(_dir);
        var now = TimeProvider.System.GetUtcNow();

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Switchboard Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest($"CN={host}", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = serverRequest.Create(ca, now.AddHours(-1), now.AddHours(12), RandomNumberGenerator.GetBytes(8));

        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        File.WriteAllText(CertificateFile, server.ExportCertificatePem());
        File.WriteAllText(KeyFile, serverKey.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The name the server certificate is issued to (the client's <c>sslHost=</c>).</summary>
    public string Host { get; }

    /// <summary>The authority's certificate (PEM).</summary>
    public string CaFile => Path.Combine(_dir, "ca.pem");

    /// <summary>The server's certificate (PEM).</summary>
    public string CertificateFile => Path.Combine(_dir, "server.pem");

    /// <summary>The server's private key (PEM, PKCS#8).</summary>
    public string KeyFile => Path.Combine(_dir, "server.key");

    /// <summary>The folder the files are in.</summary>
    public string Folder => _dir;

    public static TestCertificates Create(string host = "redis.switchboard.test") => new(host);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

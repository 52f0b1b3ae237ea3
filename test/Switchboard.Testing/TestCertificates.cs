using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Testing;

/// <summary>
/// A throw-away certificate authority, a server certificate it issued for <see cref="Host"/>, <c>localhost</c> and
/// 127.0.0.1, and a client certificate it issued, written as PEM files to a temp folder (deleted on dispose): what a TLS
/// server (redis-server, the agent) serves and what its clients trust and present.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-tls-" + Guid.NewGuid().ToString("N"));
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;

    private TestCertificates(string host)
    {
        Host = host;
        Directory.CreateDirectory(_dir);
        var now = TimeProvider.System.GetUtcNow();
        var caRequest = new CertificateRequest("CN=Switchboard Test CA " + Guid.NewGuid().ToString("N")[..8], _caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        _ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());
        ServerThumbprint = RenewServerCertificate();
        Issue($"CN={host} client", ClientAuthentication, null, ClientCertificateFile, ClientKeyFile);
    }

    /// <summary>The name the server certificate is issued to (besides localhost and 127.0.0.1).</summary>
    public string Host { get; }

    /// <summary>The authority's certificate (PEM).</summary>
    public string CaFile => Path.Combine(_dir, "ca.pem");

    /// <summary>The server's certificate (PEM).</summary>
    public string CertificateFile => Path.Combine(_dir, "server.pem");

    /// <summary>The server's private key (PEM, PKCS#8).</summary>
    public string KeyFile => Path.Combine(_dir, "server.key");

    /// <summary>A client certificate the authority issued (PEM, client authentication).</summary>
    public string ClientCertificateFile => Path.Combine(_dir, "client.pem");

    /// <summary>The client certificate's private key (PEM, PKCS#8).</summary>
    public string ClientKeyFile => Path.Combine(_dir, "client.key");

    /// <summary>The SHA-1 thumbprint of the server certificate now in <see cref="CertificateFile"/>.</summary>
    public string ServerThumbprint { get; private set; }

    /// <summary>The folder the files are in.</summary>
    public string Folder => _dir;

    /// <summary>Creates the authority and its certificates.</summary>
    public static TestCertificates Create(string host = "redis.switchboard.test") => new(host);

    /// <summary>Issues a new server certificate (new key, new serial) and replaces <see cref="CertificateFile"/> and <see cref="KeyFile"/> with it, each by an atomic rename.</summary>
    /// <returns>The new certificate's thumbprint.</returns>
    public string RenewServerCertificate()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Host);
        if (Host != "localhost")
            names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        return ServerThumbprint = Issue($"CN={Host}", ServerAuthentication, names.Build(), CertificateFile, KeyFile);
    }

    private string Issue(string subject, string purpose, X509Extension? names, string certificateFile, string keyFile)
    {
        var now = TimeProvider.System.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (names is not null)
            request.CertificateExtensions.Add(names);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(purpose)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        using var certificate = request.Create(_ca, now.AddHours(-1), now.AddHours(12), RandomNumberGenerator.GetBytes(8));
        WriteAtomically(keyFile, key.ExportPkcs8PrivateKeyPem());
        WriteAtomically(certificateFile, certificate.ExportCertificatePem());
        return certificate.Thumbprint;
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
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

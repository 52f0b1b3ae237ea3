using System.Security.Cryptography;
using Switchboard.Tls;

namespace Switchboard.Abstractions.Tests.Tls;

/// <summary>The PEM loading the SDK, the CLI and the agent share: what each kind of unusable file is reported as.</summary>
public sealed class PemFilesTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create("registry.switchboard.test");

    public void Dispose() => _certificates.Dispose();

    private string Write(string name, string text)
    {
        var path = Path.Combine(_certificates.Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private PemFileException Refused(string keyFile)
        => Assert.Throws<PemFileException>(() => PemFiles.LoadIdentity(_certificates.CertificateFile, keyFile));

    [Fact]
    public void CertificateWithIntermediateAndKeyInOneFile_LoadsAsIdentity()
    {
        var combined = Write("combined.pem", string.Join('\n', File.ReadAllText(_certificates.CertificateFile), File.ReadAllText(_certificates.CaFile), File.ReadAllText(_certificates.KeyFile)));

        using var identity = PemFiles.LoadIdentity(combined, combined);

        Assert.True(identity.Certificate.HasPrivateKey);
        Assert.Equal(_certificates.ServerThumbprint, identity.Certificate.Thumbprint);
        Assert.Single(identity.Intermediates);
    }

    [Fact]
    public void CaBundle_LoadsEveryCertificate()
    {
        using var other = TestCertificates.Create("other.switchboard.test");
        var bundle = Write("bundle.pem", File.ReadAllText(_certificates.CaFile) + "\n" + File.ReadAllText(other.CaFile));

        Assert.Equal(2, PemFiles.LoadCertificates(bundle).Count);
    }

    [Fact]
    public void CertificatesWithoutALineBreakBetweenThem_AreSaidToBeDamaged()
    {
        var glued = Write("glued.pem", File.ReadAllText(_certificates.CaFile) + File.ReadAllText(_certificates.CaFile));

        Assert.Equal("it holds a damaged PEM certificate", Assert.Throws<PemFileException>(() => PemFiles.LoadCertificates(glued)).Problem);
    }

    [Fact]
    public void EncryptedKey_IsRefusedAsEncrypted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var encrypted = Write("encrypted.key", key.ExportEncryptedPkcs8PrivateKeyPem("pass".AsSpan(), new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)));

        var ex = Refused(encrypted);

        Assert.Equal(PemFileRole.PrivateKey, ex.Role);
        Assert.Equal($"cannot use '{encrypted}': the key is encrypted; an unencrypted PEM key is needed", ex.Message);
    }

    [Fact]
    public void KeyOfAnotherAlgorithm_DoesNotMatch_DamagedKey_IsSaidToBeDamaged()
    {
        using var rsa = RSA.Create(2048);
        var other = Write("rsa.key", rsa.ExportPkcs8PrivateKeyPem());
        var damaged = Write("damaged.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        Assert.Equal($"the key does not match the certificate in '{_certificates.CertificateFile}'", Refused(other).Problem);
        Assert.Equal("it holds a damaged or unsupported private key (RSA and ECDSA keys are supported)", Refused(damaged).Problem);
    }
}

using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Tls;

/// <summary>A certificate with its private key, and the intermediate certificates to send with it.</summary>
public sealed class TlsIdentity : IDisposable
{
    /// <summary>Creates the identity; it owns (and disposes) the certificates.</summary>
    /// <param name="certificate">The certificate, with its private key.</param>
    /// <param name="intermediates">The certificates that follow it in its file.</param>
    public TlsIdentity(X509Certificate2 certificate, X509Certificate2Collection intermediates)
    {
        Certificate = certificate;
        Intermediates = intermediates;
    }

    /// <summary>The certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The intermediate certificates that followed it in its file (often none).</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var intermediate in Intermediates)
            intermediate.Dispose();
    }
}

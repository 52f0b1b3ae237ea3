using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Tls;

namespace Switchboard.Cli.Agent.Tls;

/// <summary>What the agent's TLS files hold at one moment: the identity it serves and the authorities whose callers it accepts.</summary>
internal sealed class AgentTlsMaterial
{
    private AgentTlsMaterial(TlsIdentity identity, X509Certificate2Collection? clientRoots)
    {
        Identity = identity;
        ClientRoots = clientRoots;
        Context = SslStreamCertificateContext.Create(identity.Certificate, identity.Intermediates, offline: true);
    }

    /// <summary>The server certificate with its key and intermediates.</summary>
    public TlsIdentity Identity { get; }

    /// <summary>The certificate and chain sent in each handshake, built once per load.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>The authorities of mutual TLS; null when callers are not verified.</summary>
    public X509Certificate2Collection? ClientRoots { get; }

    /// <summary>Loads the files named by <paramref name="options"/> (TLS enabled).</summary>
    /// <exception cref="PemFileException">A file cannot be used.</exception>
    public static AgentTlsMaterial Load(AgentTlsOptions options)
    {
        var identity = PemFiles.LoadIdentity(options.CertFile!, options.KeyFile!);
        if (!AllowsServerAuthentication(identity.Certificate))
        {
            identity.Dispose();
            throw new PemFileException(PemFileRole.Certificate, options.CertFile!, "the certificate's extended key usage does not allow server authentication");
        }
        var roots = options.VerifyIncoming ? PemFiles.LoadCertificates(options.CaFile!) : null;
        return new AgentTlsMaterial(identity, roots);
    }

    /// <summary>The setting that names a file of <paramref name="role"/>.</summary>
    public static string Setting(PemFileRole role) => AgentTlsOptions.Setting(role switch
    {
        PemFileRole.CertificateAuthority => nameof(AgentTlsOptions.CaFile),
        PemFileRole.PrivateKey => nameof(AgentTlsOptions.KeyFile),
        _ => nameof(AgentTlsOptions.CertFile),
    });

    private static bool AllowsServerAuthentication(X509Certificate2 certificate)
    {
        var usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return usage is null || usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == TrustedRoots.ServerAuthentication);
    }
}

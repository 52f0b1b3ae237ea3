using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Tls;

/// <summary>
/// Chain policies that trust only the given certificate authorities (custom root trust: the machine's trust store is
/// neither used nor changed), with no revocation check and no downloads of missing intermediates.
/// </summary>
public static class TrustedRoots
{
    /// <summary>The object identifier of the extended key usage <c>serverAuth</c>.</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>The object identifier of the extended key usage <c>clientAuth</c>.</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>The policy for a server's certificate (a client checking the registry it calls).</summary>
    /// <param name="roots">The authorities to trust.</param>
    /// <returns>A new policy.</returns>
    public static X509ChainPolicy ForServerCertificates(X509Certificate2Collection roots) => Policy(roots, ServerAuthentication);

    /// <summary>The policy for a client's certificate (the agent checking a caller, mutual TLS).</summary>
    /// <param name="roots">The authorities to trust.</param>
    /// <returns>A new policy.</returns>
    public static X509ChainPolicy ForClientCertificates(X509Certificate2Collection roots) => Policy(roots, ClientAuthentication);

    private static X509ChainPolicy Policy(X509Certificate2Collection roots, string purpose)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(roots);
        // A custom policy replaces SslStream's own, so the purpose check must be asked for here.
        policy.ApplicationPolicy.Add(new Oid(purpose));
        return policy;
    }
}

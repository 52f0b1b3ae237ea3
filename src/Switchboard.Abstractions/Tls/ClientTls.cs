using System.Net.Security;

namespace Switchboard.Tls;

/// <summary>The TLS side of a connection to the registry: a CA to trust for it, and a client certificate to present (mutual TLS).</summary>
public static class ClientTls
{
    /// <summary>
    /// Client TLS options from PEM files: <paramref name="caFile"/> replaces the machine's trust store for this
    /// connection only; the client certificate is presented when the server asks for one. Null files leave the defaults.
    /// </summary>
    /// <param name="caFile">The certificate authorities that issued the registry's certificate, or null for the machine's trust store.</param>
    /// <param name="certificateFile">The client certificate, or null for none; needs <paramref name="keyFile"/>.</param>
    /// <param name="keyFile">The client certificate's private key.</param>
    /// <returns>The options, for <see cref="System.Net.Http.SocketsHttpHandler.SslOptions"/>.</returns>
    /// <exception cref="PemFileException">A file cannot be used.</exception>
    /// <exception cref="ArgumentException">Only one of <paramref name="certificateFile"/> and <paramref name="keyFile"/> is given.</exception>
    public static SslClientAuthenticationOptions Options(string? caFile, string? certificateFile, string? keyFile)
    {
        if (certificateFile is null != keyFile is null)
            throw new ArgumentException("A client certificate and its key go together: give both files or neither.", certificateFile is null ? nameof(certificateFile) : nameof(keyFile));
        var options = new SslClientAuthenticationOptions();
        if (caFile is not null)
            options.CertificateChainPolicy = TrustedRoots.ForServerCertificates(PemFiles.LoadCertificates(caFile));
        if (certificateFile is not null)
        {
            // Lives as long as the process's handlers; a handler rebuilt later loads the files again.
            var identity = PemFiles.LoadIdentity(certificateFile, keyFile!);
            options.ClientCertificateContext = SslStreamCertificateContext.Create(identity.Certificate, identity.Intermediates, offline: true);
        }
        return options;
    }
}

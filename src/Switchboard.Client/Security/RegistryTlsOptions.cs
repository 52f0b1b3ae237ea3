namespace Switchboard.Client.Security;

/// <summary>TLS for the connection to the registry (<c>Switchboard:Tls</c>); calls to other services are not affected.</summary>
public sealed class RegistryTlsOptions
{
    /// <summary>
    /// A PEM file with the certificate authorities that issued the registry's certificate. Set, only they are trusted for the
    /// registry connection (custom root trust; the machine's trust store is neither used nor changed).
    /// </summary>
    /// <value>The default value is null: the machine's trust store.</value>
    public string? CaFile { get; set; }

    /// <summary>A PEM client certificate to present to a registry that requires one (an agent with <c>--verify-incoming</c>); needs <see cref="ClientKeyFile"/>.</summary>
    /// <value>The default value is null: no client certificate.</value>
    public string? ClientCertificateFile { get; set; }

    /// <summary>The unencrypted PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    /// <value>The default value is null.</value>
    public string? ClientKeyFile { get; set; }
}

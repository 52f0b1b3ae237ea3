namespace Switchboard.Cli.Agent.Tls;

/// <summary>HTTPS on the agent's port, bound from <c>Switchboard:Tls</c>; the command line's <c>--tls-*</c> options win over it.</summary>
internal sealed class AgentTlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Tls";

    /// <summary>The server certificate (PEM), optionally followed by its intermediates; set, the agent serves HTTPS only.</summary>
    public string? CertFile { get; set; }

    /// <summary>The server certificate's private key (PEM, unencrypted).</summary>
    public string? KeyFile { get; set; }

    /// <summary>The certificate authorities (PEM) whose client certificates are accepted; needs <see cref="VerifyIncoming"/>.</summary>
    public string? CaFile { get; set; }

    /// <summary>Mutual TLS: every caller must present a client certificate that <see cref="CaFile"/> issued.</summary>
    public bool VerifyIncoming { get; set; }

    /// <summary>How often, at most, the files' last-write times are compared to pick up a renewed certificate (checked on a handshake).</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan ReloadCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the agent serves HTTPS.</summary>
    public bool Enabled => CertFile is not null;

    /// <summary>The name of a setting in messages: its configuration key and its command-line option.</summary>
    public static string Setting(string property) => property switch
    {
        nameof(CertFile) => $"{SectionName}:{nameof(CertFile)} (--tls-cert)",
        nameof(KeyFile) => $"{SectionName}:{nameof(KeyFile)} (--tls-key)",
        nameof(CaFile) => $"{SectionName}:{nameof(CaFile)} (--tls-ca)",
        nameof(VerifyIncoming) => $"{SectionName}:{nameof(VerifyIncoming)} (--verify-incoming)",
        _ => $"{SectionName}:{property}",
    };
}

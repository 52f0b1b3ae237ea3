using System.CommandLine;
using System.Security.Authentication;
using Switchboard.Tls;

namespace Switchboard.Cli.Commands;

/// <summary>
/// TLS for the client commands' connection to the registry: <c>--ca-file</c>, <c>--client-cert</c> and
/// <c>--client-key</c>, else <c>SWITCHBOARD_CACERT</c>, <c>SWITCHBOARD_CLIENT_CERT</c>, <c>SWITCHBOARD_CLIENT_KEY</c>,
/// else Consul's <c>CONSUL_CACERT</c>, <c>CONSUL_CLIENT_CERT</c>, <c>CONSUL_CLIENT_KEY</c>.
/// </summary>
internal static class RegistryConnection
{
    public static readonly Option<string?> CaFile = new("--ca-file")
    {
        Description = "A PEM file with the certificate authority that issued the registry's certificate, trusted for this connection only (default: $SWITCHBOARD_CACERT, else $CONSUL_CACERT)",
        Recursive = true,
    };

    public static readonly Option<string?> ClientCert = new("--client-cert")
    {
        Description = "A PEM client certificate for an agent that requires one (--verify-incoming) (default: $SWITCHBOARD_CLIENT_CERT, else $CONSUL_CLIENT_CERT)",
        Recursive = true,
    };

    public static readonly Option<string?> ClientKey = new("--client-key")
    {
        Description = "The PEM private key of --client-cert (default: $SWITCHBOARD_CLIENT_KEY, else $CONSUL_CLIENT_KEY)",
        Recursive = true,
    };

    public static IEnumerable<Option> Options => [CaFile, ClientCert, ClientKey];

    /// <summary>The handler for the registry connection; a file that cannot be used is a usage error naming where it came from.</summary>
    public static HttpMessageHandler Handler(ParseResult parse)
    {
        var ca = Setting(parse, CaFile, "SWITCHBOARD_CACERT", "CONSUL_CACERT");
        var cert = Setting(parse, ClientCert, "SWITCHBOARD_CLIENT_CERT", "CONSUL_CLIENT_CERT");
        var key = Setting(parse, ClientKey, "SWITCHBOARD_CLIENT_KEY", "CONSUL_CLIENT_KEY");
        if (cert is null && key is not null)
            throw new CliException($"{key.Source} is set but --client-cert is not: a client key needs its certificate", CliErrors.Usage);
        if (cert is not null && key is null)
            throw new CliException($"{cert.Source} is set but --client-key is not: a client certificate needs its private key", CliErrors.Usage);
        try
        {
            return new SocketsHttpHandler { SslOptions = ClientTls.Options(ca?.Path, cert?.Path, key?.Path) };
        }
        catch (PemFileException ex)
        {
            var from = ex.Role switch
            {
                PemFileRole.CertificateAuthority => ca,
                PemFileRole.Certificate => cert,
                _ => key,
            };
            throw new CliException($"{from!.Source}: {ex.Message}", CliErrors.Usage);
        }
    }

    /// <summary>What a failed request says about TLS, or null when it failed for another reason.</summary>
    public static string? TlsFailure(HttpRequestException failure, Uri registry)
    {
        if (failure.InnerException is AuthenticationException handshake)
            return $"the TLS handshake with the registry at {registry} failed: {handshake.Message} (pass the CA that issued its certificate with --ca-file)";
        // With TLS 1.3 the agent refuses a missing or untrusted client certificate after the handshake, by closing the connection.
        if (failure.HttpRequestError == HttpRequestError.ResponseEnded && registry.Scheme == Uri.UriSchemeHttps)
            return $"the registry at {registry} closed the connection without answering (an agent with --verify-incoming refuses callers without a client certificate its CA issued: --client-cert and --client-key)";
        return null;
    }

    private static FileSetting? Setting(ParseResult parse, Option<string?> option, params string[] variables)
    {
        if (parse.GetValue(option) is { } path)
            return new FileSetting(option.Name, path);
        foreach (var variable in variables)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
                return new FileSetting(variable, value);
        }
        return null;
    }

    /// <summary>A file and where it was named: an option (<c>--ca-file</c>) or an environment variable.</summary>
    private sealed record FileSetting(string Source, string Path);
}

using System.CommandLine;

namespace Switchboard.Cli.Commands;

/// <summary>Options every client command takes.</summary>
internal static class GlobalOptions
{
    public const string DefaultRegistry = "http://127.0.0.1:8500";

    public static readonly Option<string> Registry = new("--registry", "-r")
    {
        Description = $"The registry's URL or host:port (default: $SWITCHBOARD_REGISTRY, else {DefaultRegistry})",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON instead of tables",
        Recursive = true,
    };

    /// <summary>The registry URL from the option, the environment, or the default; a bad URL is a usage error.</summary>
    public static Uri RegistryUrl(ParseResult parse)
    {
        var text = parse.GetValue(Registry) ?? Environment.GetEnvironmentVariable("SWITCHBOARD_REGISTRY") ?? DefaultRegistry;
        var url = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text; // host:port, as Consul's CONSUL_HTTP_ADDR
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            throw new CliException($"--registry must be host:port or an http(s) URL, not '{text}'", CliErrors.Usage);
        return uri;
    }

    public static RegistryApiClient Client(ParseResult parse, TimeSpan? timeout = null)
    {
        var token = CliToken.Read(parse); // before the client exists: a bad token file fails without one to dispose
        return new RegistryApiClient(RegistryUrl(parse), timeout ?? TimeSpan.FromSeconds(10), RegistryConnection.Handler(parse)).WithToken(token);
    }
}

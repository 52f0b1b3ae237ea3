using System.CommandLine;

namespace Switchboard.Cli.Commands;

/// <summary>
/// The ACL token every client command sends: <c>--token</c>, else <c>--token-file</c>, else <c>$SWITCHBOARD_TOKEN</c>,
/// else <c>$CONSUL_HTTP_TOKEN</c>; none sends no token (the agent's anonymous token applies).
/// </summary>
internal static class CliToken
{
    public static readonly Option<string?> Token = new("--token")
    {
        Description = "The ACL token's secret (default: $SWITCHBOARD_TOKEN, else $CONSUL_HTTP_TOKEN); prefer --token-file or the environment, which other users cannot see in the process list",
        Recursive = true,
    };

    public static readonly Option<string?> File = new("--token-file")
    {
        Description = "A file holding the ACL token's secret (its first line)",
        Recursive = true,
    };

    /// <summary>The secret to send, or null for none.</summary>
    /// <exception cref="CliException">Both options are given, the file cannot be read or is empty, or the secret cannot be sent in a header.</exception>
    public static string? Read(ParseResult parse)
    {
        var option = parse.GetValue(Token);
        var file = parse.GetValue(File);
        if (option is not null && file is not null)
            throw new CliException("give --token or --token-file, not both", CliErrors.Usage);
        if (option is not null)
            return Checked(option.Trim(), "--token");
        if (file is not null)
            return Checked(FromFile(file), $"the token file {file}");
        foreach (var variable in (string[])["SWITCHBOARD_TOKEN", "CONSUL_HTTP_TOKEN"])
        {
            if (Environment.GetEnvironmentVariable(variable) is { } value && value.Trim().Length > 0)
                return Checked(value.Trim(), "$" + variable);
        }
        return null;
    }

    private static string FromFile(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"cannot read the token file {path}: {CliErrors.OneLine(ex)}", CliErrors.Usage);
        }
        return text.Split('\n', 2)[0].Trim();
    }

    /// <summary>The secret, if it is one a header can carry (visible ASCII, no spaces); <paramref name="source"/> names where it came from.</summary>
    private static string Checked(string secret, string source)
    {
        if (secret.Length == 0)
            throw new CliException($"{source} is empty: it must hold a token's secret", CliErrors.Usage);
        if (secret.Any(c => c is < '!' or > '~'))
            throw new CliException($"{source} does not hold a token's secret: it has spaces, control or non-ASCII characters", CliErrors.Usage);
        return secret;
    }
}

using System.CommandLine;
using Switchboard.Cli.Output;

namespace Switchboard.Cli.Commands.Acl;

/// <summary><c>switchboard acl</c>: bootstrap, policies and tokens, through the agent's <c>/v1/acl</c> routes.</summary>
internal static class AclCommand
{
    /// <summary>The line printed under a secret: the only time it is shown.</summary>
    public const string SecretShownOnce = "This secret is shown only this once: store it now (switchboard never shows it again).";

    public static Command Create() => new("acl", "Manage ACL policies and tokens (the agent runs with --acl)")
    {
        Bootstrap(),
        AclPolicyCommands.Create(),
        AclTokenCommands.Create(),
    };

    private static Command Bootstrap()
    {
        var command = new Command("bootstrap", "Create the first management token (global-management), once; prints its secret once");
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var token = await client.BootstrapAsync(ct);
            PrintToken(parse, token);
            return 0;
        });
        return command;
    }

    /// <summary>Prints a token (as JSON with <c>--json</c>); a token that carries its secret gets the shown-once line.</summary>
    public static void PrintToken(ParseResult parse, AclTokenView token)
    {
        if (parse.GetValue(GlobalOptions.Json))
        {
            Render.Json(token, CliAclJsonContext.Default.AclTokenView);
            return;
        }
        var showsSecret = token.SecretId is { Length: > 0 } secret && secret != "<hidden>";
        Render.Line($"AccessorID:   {token.AccessorId}");
        if (showsSecret)
            Render.Line($"SecretID:     {token.SecretId}");
        Render.Line($"Description:  {token.Description}");
        Render.Line($"Policies:     {Policies(token)}");
        Render.Line($"Expires:      {Expires(token)}");
        if (showsSecret)
            Render.Line(SecretShownOnce);
    }

    /// <summary>The token's policy names, comma-separated.</summary>
    public static string Policies(AclTokenView token) => string.Join(", ", token.Policies.Select(p => p.Name ?? p.Id));

    /// <summary>When the token expires, or <c>never</c>.</summary>
    public static string Expires(AclTokenView token) => token.ExpirationTime?.ToString("u") ?? "never";
}

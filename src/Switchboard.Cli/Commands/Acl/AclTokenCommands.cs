using System.CommandLine;
using Switchboard.Cli.Output;
using Switchboard.Json;

namespace Switchboard.Cli.Commands.Acl;

/// <summary><c>switchboard acl token create|list|delete|self</c>. Secrets are printed by create only; list and self never show one.</summary>
internal static class AclTokenCommands
{
    public static Command Create() => new("token", "Create, list and delete ACL tokens") { CreateCommand(), List(), Delete(), Self() };

    private static Command CreateCommand()
    {
        var policies = new Option<string[]>("--policy", "-p") { Description = "A policy's name (repeatable)", AllowMultipleArgumentsPerToken = false };
        var description = new Option<string?>("--description") { Description = "Free text" };
        var expiresIn = new Option<string?>("--expires-in") { Description = "How long the token works, e.g. 1h or 30m (between 1m and 24h by default); none: it never expires" };
        expiresIn.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string?>();
            if (value is not null && !(Durations.TryParse(value, out var d) && d > TimeSpan.Zero))
                r.AddError($"--expires-in must be a duration such as 30m or 24h, not '{value}'");
        });
        var command = new Command("create", "Create a token holding policies; prints its secret once") { policies, description, expiresIn };
        command.SetAction(async (parse, ct) =>
        {
            var request = new AclTokenCreate
            {
                Description = parse.GetValue(description),
                Policies = [.. (parse.GetValue(policies) ?? []).Select(name => new AclPolicyLinkView { Name = name })],
                ExpirationTtl = parse.GetValue(expiresIn) is { } ttl && Durations.TryParse(ttl, out var d) ? Durations.Format(d) : null,
            };
            using var client = GlobalOptions.Client(parse);
            AclCommand.PrintToken(parse, await client.CreateTokenAsync(request, ct));
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the tokens (never their secrets)");
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var tokens = await client.TokensAsync(ct);
            if (parse.GetValue(GlobalOptions.Json))
                Render.Json([.. tokens.Select(t => t with { SecretId = null })], CliAclJsonContext.Default.AclTokenViewArray);
            else
                Render.Table(["ACCESSOR", "DESCRIPTION", "POLICIES", "EXPIRES", "CREATED"],
                    tokens.Select(t => new[] { t.AccessorId, t.Description, AclCommand.Policies(t), AclCommand.Expires(t), t.CreateTime.ToString("u") }));
            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var accessor = new Argument<string>("accessor") { Description = "The token's AccessorID" };
        var command = new Command("delete", "Delete a token: its secret stops working at once") { accessor };
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var token = await client.TokenAsync(parse.GetValue(accessor)!, ct);
            await client.DeleteTokenAsync(token.AccessorId, ct);
            Render.Line($"deleted token {token.AccessorId}");
            return 0;
        });
        return command;
    }

    private static Command Self()
    {
        var command = new Command("self", "Show the token this command sends (--token, --token-file, $SWITCHBOARD_TOKEN or $CONSUL_HTTP_TOKEN)");
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            AclCommand.PrintToken(parse, (await client.SelfAsync(ct)) with { SecretId = null });
            return 0;
        });
        return command;
    }
}

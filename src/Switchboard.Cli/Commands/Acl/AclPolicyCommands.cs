using System.CommandLine;
using Switchboard.Cli.Output;

namespace Switchboard.Cli.Commands.Acl;

/// <summary><c>switchboard acl policy create|list|delete</c>.</summary>
internal static class AclPolicyCommands
{
    public static Command Create() => new("policy", "Create, list and delete ACL policies") { CreateCommand(), List(), Delete() };

    private static Command CreateCommand()
    {
        var name = new Option<string>("--name", "-n") { Description = "The policy's name (letters, digits, - and _)", Required = true };
        var rules = new Option<string>("--rules") { Description = "The rules as JSON, or @FILE to read them from a file: {\"service\":{\"orders\":{\"policy\":\"write\"}}}", Required = true };
        var description = new Option<string?>("--description") { Description = "Free text" };
        var command = new Command("create", "Create a policy") { name, rules, description };
        command.SetAction(async (parse, ct) =>
        {
            var text = Rules(parse.GetValue(rules)!);
            using var client = GlobalOptions.Client(parse);
            var policy = await client.CreatePolicyAsync(new AclPolicyCreate(parse.GetValue(name)!, parse.GetValue(description), text), ct);
            if (parse.GetValue(GlobalOptions.Json))
                Render.Json(policy, CliAclJsonContext.Default.AclPolicyView);
            else
                Render.Line($"created policy {policy.Name} ({policy.Id})");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the policies");
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var policies = await client.PoliciesAsync(ct);
            if (parse.GetValue(GlobalOptions.Json))
                Render.Json(policies, CliAclJsonContext.Default.AclPolicyViewArray);
            else
                Render.Table(["ID", "NAME", "DESCRIPTION"], policies.Select(p => new[] { p.Id, p.Name, p.Description }));
            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var policy = new Argument<string>("policy") { Description = "The policy's id or name" };
        var command = new Command("delete", "Delete a policy (tokens holding it lose what it granted)") { policy };
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var found = await client.PolicyAsync(parse.GetValue(policy)!, ct);
            await client.DeletePolicyAsync(found.Id, ct);
            Render.Line($"deleted policy {found.Name} ({found.Id})");
            return 0;
        });
        return command;
    }

    /// <summary>The rules as given, or the file's content for <c>@FILE</c>.</summary>
    private static string Rules(string value)
    {
        if (!value.StartsWith('@'))
            return value;
        var path = value[1..];
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"cannot read the rules file {path}: {CliErrors.OneLine(ex)}", CliErrors.Usage);
        }
    }
}

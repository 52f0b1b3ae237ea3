using System.CommandLine;
using Switchboard.Cli;
using Switchboard.Cli.Commands;

var root = new RootCommand("Switchboard: service discovery and resilient service-to-service calls for .NET.")
{
    AgentCommand.Create(),
    QueryCommands.Services(),
    QueryCommands.Instances(),
    QueryCommands.Discover(),
    QueryCommands.Health(),
    WriteCommands.Register(),
    WriteCommands.Deregister(),
    WriteCommands.Heartbeat(),
    WatchCommand.Create(),
    Switchboard.Cli.Commands.Acl.AclCommand.Create(),
    Switchboard.Cli.Commands.KeyValues.KvCommand.Create(),
};
root.Options.Add(GlobalOptions.Registry);
root.Options.Add(GlobalOptions.Json);
foreach (var option in RegistryConnection.Options)
    root.Options.Add(option);
root.Options.Add(CliToken.Token);
root.Options.Add(CliToken.File);

// No response files: an argument starting with @ is a value (--rules @FILE reads the file itself, as Consul's -rules=@FILE).
var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (parse.Errors.Count > 0)
{
    var path = new Stack<string>(); // the whole command path: 'switchboard acl policy create --help'
    for (var command = parse.CommandResult; command is not null && command.Command != root; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        path.Push(command.Command.Name);
    if (parse.CommandResult.Command.Subcommands.Count > 0 && parse.Tokens.All(t => t.Type == System.CommandLine.Parsing.TokenType.Command))
    {
        // A bare command group ('switchboard', 'switchboard acl'): its help, as 'git' does.
        await root.Parse([.. path, "--help"]).InvokeAsync();
        return CliErrors.Usage;
    }
    var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
    var help = string.Join(' ', ["switchboard", .. path, "--help"]);
    return CliErrors.Fail($"{ParseErrors.Describe(error, parse.CommandResult.Command)} (see '{help}')", CliErrors.Usage);
}
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliException ex)
{
    return CliErrors.Fail(ex.Message, ex.ExitCode);
}
catch (OperationCanceledException)
{
    // Only Ctrl-C cancels a command's token (System.CommandLine's handler); request timeouts are reported as CliException.
    return CliErrors.Interrupted;
}

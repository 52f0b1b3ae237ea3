namespace Switchboard.Cli.Tests.Readme;

/// <summary>One shell command of a README block and the output lines the README shows under it (<c># ...</c>).</summary>
/// <param name="Text">The command as written (continuation lines joined with newlines).</param>
/// <param name="Expected">The lines the README shows as its output, without the leading <c># </c>.</param>
internal sealed record ReadmeCommand(string Text, List<string> Expected);

/// <summary>Reads the commands of the README's "Five minutes with curl and the CLI" section, in order.</summary>
internal static class ReadmeWalkthrough
{
    public const string Section = "## Five minutes with curl and the CLI";

    /// <summary>Every command of the section's <c>bash</c> blocks, with the output lines the README shows after it.</summary>
    public static List<ReadmeCommand> Commands(string readme)
    {
        var start = readme.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{Section}'");
        var end = readme.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        var lines = readme[start..(end < 0 ? readme.Length : end)].Split('\n');
        var commands = new List<ReadmeCommand>();
        var inBlock = false;
        string? pending = null;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock && line == "```bash";
                continue;
            }
            if (!inBlock)
                continue;
            if (pending is not null)
            {
                pending += "\n" + line;
                if (QuotesBalanced(pending))
                {
                    commands.Add(new ReadmeCommand(pending, []));
                    pending = null;
                }
                continue;
            }
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                Assert.True(commands.Count > 0, $"an output line before any command: {line}");
                commands[^1].Expected.Add(line[2..]);
            }
            else if (line.Length > 0 && !QuotesBalanced(line))
            {
                pending = line;
            }
            else if (line.Length > 0)
            {
                commands.Add(new ReadmeCommand(line, []));
            }
        }
        return commands;
    }

    private static bool QuotesBalanced(string text) => text.Count(c => c == '\'') % 2 == 0;
}

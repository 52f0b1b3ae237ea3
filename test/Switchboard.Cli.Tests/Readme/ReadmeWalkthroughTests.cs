using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Switchboard.Cli.Tests.Readme;

/// <summary>
/// The README's "Five minutes with curl and the CLI", command by command, against a fresh agent: each command succeeds,
/// and what it prints is what the README shows under it (JSON compared as JSON; <c>[index N]</c> as any index, since the
/// health check's timing moves it).
/// </summary>
public sealed partial class ReadmeWalkthroughTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 120_000)]
    public async Task FiveMinutesWithCurlAndTheCli_AsTheReadmeShowsIt()
    {
        var commands = ReadmeWalkthrough.Commands(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "README.md"), Ct));
        Assert.Contains(commands, c => c.Text.StartsWith("sb watch ", StringComparison.Ordinal));
        await using var agent = await AgentProcess.StartAsync("--dev");
        var registry = agent.BaseUri.ToString().TrimEnd('/');
        Process? watch = null;
        var watched = new List<string>();
        try
        {
            foreach (var command in commands)
            {
                var text = StripComment(command.Text).Replace("http://127.0.0.1:8500", registry, StringComparison.Ordinal);
                if (text.Contains(" agent --dev", StringComparison.Ordinal) || text.StartsWith("curl -N ", StringComparison.Ordinal))
                    continue; // the agent this test started; an endless event stream
                if (text.EndsWith(" &", StringComparison.Ordinal))
                {
                    watch = StartBackground(Cli(text[..^2], registry), watched);
                    await ExpectLinesAsync(watched, command.Expected, command.Text);
                    continue;
                }
                var result = await ProcessRunner.RunAsync("bash", "-c", Cli(text, registry));
                Assert.True(result.ExitCode == 0, $"'{command.Text}' exited {result.ExitCode}: {result.Stderr}");
                if (watch is not null && command.Expected.Count > 0 && command.Expected[0].StartsWith("[index", StringComparison.Ordinal))
                    await ExpectLinesAsync(watched, command.Expected, command.Text);
                else if (command.Expected.Count > 0)
                    AssertSameJson(string.Join("\n", command.Expected), result.Stdout, command.Text);
            }
        }
        finally
        {
            if (watch is { HasExited: false })
                watch.Kill(entireProcessTree: true);
            watch?.Dispose();
        }
    }

    /// <summary><c>sb ...</c> as the built CLI pointed at this test's agent; anything else unchanged.</summary>
    private static string Cli(string text, string registry)
        => text.StartsWith("sb ", StringComparison.Ordinal)
            ? $"dotnet '{RepositoryPaths.AgentDll}' {text[3..]} --registry {registry}"
            : text;

    private static string StripComment(string text)
    {
        var hash = text.IndexOf("  #", StringComparison.Ordinal);
        return (hash > 0 && !text.Contains('\'', StringComparison.Ordinal) ? text[..hash] : text).TrimEnd();
    }

    private static Process StartBackground(string command, List<string> lines)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec " + command);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                    lines.Add(e.Data);
            }
        };
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>Waits (bounded) until the background command printed each expected line, in order, any index standing for any index.</summary>
    private static async Task ExpectLinesAsync(List<string> lines, List<string> expected, string command)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            string[] seen;
            lock (lines)
                seen = [.. lines];
            var normalized = seen.Select(Normalize).ToList();
            if (expected.All(e => normalized.Contains(Normalize(e))))
                return;
            if (DateTimeOffset.UtcNow > deadline)
                Assert.Fail($"after '{command}' the README shows:\n{string.Join("\n", expected)}\nbut the command printed:\n{string.Join("\n", seen)}");
            await Task.Delay(100, Ct);
        }
    }

    private static string Normalize(string line) => IndexNumber().Replace(line, "[index N]");

    private static void AssertSameJson(string expected, string actual, string command)
    {
        var want = JsonNode.Parse(expected);
        var got = JsonNode.Parse(actual);
        Assert.True(JsonNode.DeepEquals(want, got), $"'{command}': the README shows {expected}\nbut it printed {actual}");
    }

    [GeneratedRegex(@"\[index \d+\]")]
    private static partial Regex IndexNumber();
}

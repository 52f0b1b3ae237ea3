using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.Cli.Tests;

/// <summary>Runs a test script of an npm client (test/consul-client, test/eureka-client) with <c>node --test</c> and reads its TAP counts.</summary>
internal static partial class NodeClient
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The client's folder with its packages installed (<c>npm ci</c> when test/setup.sh has not run); skips (fails on CI) without Node.js.</summary>
    public static async Task<(string Node, string Directory)> PrepareAsync(string folder, string package)
    {
        var node = FindOnPath("node");
        var npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            var missing = $"Node.js and npm are needed to run the npm {package} client (test/setup.sh installs its packages).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail(missing);
            Assert.Skip(missing);
        }
        var clientDir = Path.Combine(RepositoryPaths.Root, "test", folder);
        if (!File.Exists(Path.Combine(clientDir, "node_modules", package, "package.json")))
        {
            var install = await RunAsync(npm, ["ci", "--no-audit", "--no-fund"], clientDir, [], TimeSpan.FromMinutes(5));
            Assert.True(install.ExitCode == 0, $"npm ci failed:\n{install.Output}");
        }
        return (node, clientDir);
    }

    /// <summary>Runs <paramref name="script"/> with <c>node --test</c> and the TAP reporter; returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> TestAsync(string node, string clientDir, string script, (string Name, string Value)[] environment)
        => RunAsync(node, ["--test", "--test-reporter=tap", script], clientDir, environment, ScriptTimeout);

    /// <summary>The TAP <c># pass</c> count.</summary>
    public static int PassCount(string tap) => int.Parse(Count(tap, "pass"), CultureInfo.InvariantCulture);

    /// <summary>The TAP <c># fail</c> count.</summary>
    public static int FailCount(string tap) => int.Parse(Count(tap, "fail"), CultureInfo.InvariantCulture);

    /// <summary>The agent's port as the scripts read it.</summary>
    public static string Port(ServiceProcess agent) => agent.BaseUri.Port.ToString(CultureInfo.InvariantCulture);

    private static string Count(string tap, string what)
    {
        foreach (Match match in TapCount().Matches(tap))
        {
            if (match.Groups[1].Value == what)
                return match.Groups[2].Value;
        }
        throw new Xunit.Sdk.XunitException($"no '# {what}' line in the node test output:\n{tap}");
    }

    [GeneratedRegex(@"^# (pass|fail) (\d+)$", RegexOptions.Multiline)]
    private static partial Regex TapCount();

    private static string? FindOnPath(string command)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Runs a process to completion (killed with its children on timeout), returning its exit code and its output, stdout then stderr.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args, string workingDirectory, (string Name, string Value)[] environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = workingDirectory };
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        info.Environment["NO_COLOR"] = "1";
        var result = await ProcessRunner.RunAsync(info, timeout);
        return (result.ExitCode, result.Stdout + result.Stderr);
    }
}

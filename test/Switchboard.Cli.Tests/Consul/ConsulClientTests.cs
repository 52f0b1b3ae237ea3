using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Switchboard.Cli.Tests.Consul;

/// <summary>
/// A real Consul client library that no one here wrote (npm <c>consul</c>, pinned in test/consul-client/package.json)
/// drives the real <c>switchboard agent</c> process: register with HTTP and TTL checks, pass the TTL check, list the
/// catalog, query passing instances by tag, watch, deregister; then, against an agent with ACLs on, the same client with a
/// token and without. See test/consul-client/consul-client.test.js and consul-client-acl.test.js.
/// </summary>
public sealed partial class ConsulClientTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task NpmConsulClient_AgainstRealAgent_AllScenariosPass()
    {
        var node = FindOnPath("node");
        var npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            const string missing = "Node.js and npm are needed to run the npm consul client (test/setup.sh installs its packages).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail(missing);
            Assert.Skip(missing);
        }
        var clientDir = Path.Combine(RepositoryPaths.Root, "test", "consul-client");
        if (!File.Exists(Path.Combine(clientDir, "node_modules", "consul", "package.json")))
        {
            var install = await RunAsync(npm, ["ci", "--no-audit", "--no-fund"], clientDir, [], TimeSpan.FromMinutes(5));
            Assert.True(install.ExitCode == 0, $"npm ci failed:\n{install.Output}");
        }

        await using var agent = await AgentProcess.StartAsync("--dev");
        var result = await RunAsync(node, ["--test", "--test-reporter=tap", "consul-client.test.js"], clientDir,
            [("SWITCHBOARD_CONSUL_HOST", agent.BaseUri.Host), ("SWITCHBOARD_CONSUL_PORT", agent.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            ScriptTimeout);

        var report = $"node exited {result.ExitCode}:\n{result.Output}\nagent:\n{agent.Output}";
        Assert.True(result.ExitCode == 0, report);
        Assert.Equal("0", FailCount(result.Output));
        Assert.True(int.Parse(PassCount(result.Output), System.Globalization.CultureInfo.InvariantCulture) >= 8, report);

        // The same client against an agent with ACLs on and default deny: with a token and without.
        const string management = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
        await using var secured = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string>
            {
                ["Switchboard__Acl__Enabled"] = "true",
                ["Switchboard__Acl__DefaultPolicy"] = "deny",
                ["Switchboard__Acl__InitialManagementToken"] = management,
            },
        });
        var acl = await RunAsync(node, ["--test", "--test-reporter=tap", "consul-client-acl.test.js"], clientDir,
            [("SWITCHBOARD_CONSUL_HOST", secured.BaseUri.Host), ("SWITCHBOARD_CONSUL_PORT", secured.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
             ("SWITCHBOARD_CONSUL_TOKEN", management)],
            ScriptTimeout);
        var aclReport = $"node exited {acl.ExitCode}:\n{acl.Output}\nagent:\n{secured.Output}";
        Assert.True(acl.ExitCode == 0, aclReport);
        Assert.Equal("0", FailCount(acl.Output));
        Assert.Equal("4", PassCount(acl.Output));
    }

    private static string PassCount(string tap) => Count(tap, "pass");

    private static string FailCount(string tap) => Count(tap, "fail");

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

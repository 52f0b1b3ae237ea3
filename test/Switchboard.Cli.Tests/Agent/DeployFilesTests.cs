using System.Text.Json;

namespace Switchboard.Cli.Tests.Agent;

/// <summary>
/// The systemd unit and the Dockerfile in deploy/ start a working agent: the unit passes <c>systemd-analyze verify</c>, and
/// the agent arguments of both run the real agent (on a free loopback port and a temporary data directory).
/// </summary>
public sealed class DeployFilesTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sb-deploy-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
            Directory.Delete(_dataDir, recursive: true);
    }

    private static string DeployFile(string name) => Path.Combine(RepositoryPaths.Root, "deploy", name);

    [Fact]
    public async Task SystemdUnit_PassesSystemdAnalyzeVerify()
    {
        var result = await ProcessRunner.RunAsync("systemd-analyze", "verify", DeployFile("switchboard-agent.service"));

        Assert.True(result.ExitCode == 0 && result.Stderr.Trim().Length == 0, $"exit {result.ExitCode}: {result.Stderr}");
    }

    [Fact]
    public async Task SystemdUnit_ExecStartArguments_RunTheAgent()
    {
        var execStart = File.ReadAllLines(DeployFile("switchboard-agent.service")).Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        var words = execStart["ExecStart=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["/usr/bin/dotnet", "/opt/switchboard/switchboard.dll", "agent"], words[..3]);

        await AssertRunsAsync(words[3..]);
    }

    [Fact]
    public async Task Dockerfile_EntrypointArguments_RunTheAgent()
    {
        var entrypoint = File.ReadAllLines(DeployFile("Dockerfile")).Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        var words = JsonSerializer.Deserialize<string[]>(entrypoint["ENTRYPOINT ".Length..])!;
        Assert.Equal(["dotnet", "/app/switchboard.dll", "agent"], words[..3]);

        await AssertRunsAsync(words[3..]);
    }

    /// <summary>Starts the agent with <paramref name="arguments"/>, its port made free, its bind loopback and its data directory temporary, then registers.</summary>
    private async Task AssertRunsAsync(string[] arguments)
    {
        var local = new List<string>();
        for (var i = 0; i < arguments.Length; i++)
        {
            switch (arguments[i])
            {
                case "--port":
                    i++; // AgentProcess picks a free one
                    break;
                case "--bind":
                    local.AddRange(["--bind", "127.0.0.1"]); // tests listen on loopback only
                    i++;
                    break;
                case "--data-dir":
                    local.AddRange(["--data-dir", _dataDir]);
                    i++;
                    break;
                default:
                    local.Add(arguments[i]);
                    break;
            }
        }
        await using var agent = await AgentProcess.StartAsync([.. local]);
        using var http = new HttpClient { BaseAddress = agent.BaseUri };
        using var registered = await http.PostAsync("/service-discovery/register",
            new StringContent("""{"service_name":"orders","host":"127.0.0.1","port":9000,"ttl":"1m"}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Path.Combine(_dataDir, "journal.log")) || Directory.EnumerateFiles(_dataDir).Any(), "the agent keeps its catalog in the data directory");
    }
}

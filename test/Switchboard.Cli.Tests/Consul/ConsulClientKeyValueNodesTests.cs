using Switchboard.Registry.Redis.Tests;

namespace Switchboard.Cli.Tests.Consul;

/// <summary>
/// The npm <c>consul</c> client's key/value calls where a store earns its keep (test/consul-client/consul-kv-nodes.test.js):
/// across a kill -9 of the agent and its restart on the same embedded store, and across two agents sharing one real
/// redis-server (written on one, read, cas'ed, watched and deleted on the other).
/// </summary>
public sealed class ConsulClientKeyValueNodesTests
{
    private static async Task RunPhaseAsync(string phase, int expectedPasses, ServiceProcess a, ServiceProcess? b = null)
    {
        var (node, clientDir) = await NodeClient.PrepareAsync("consul-client", "consul");
        (string, string)[] environment = b is null
            ? [("SWITCHBOARD_CONSUL_HOST", a.BaseUri.Host), ("SWITCHBOARD_CONSUL_PORT", NodeClient.Port(a)), ("SWITCHBOARD_KV_PHASE", phase)]
            : [("SWITCHBOARD_CONSUL_HOST", a.BaseUri.Host), ("SWITCHBOARD_CONSUL_PORT", NodeClient.Port(a)), ("SWITCHBOARD_CONSUL_PORT_B", NodeClient.Port(b)), ("SWITCHBOARD_KV_PHASE", phase)];
        var result = await NodeClient.TestAsync(node, clientDir, "consul-kv-nodes.test.js", environment);

        var report = $"phase {phase}: node exited {result.ExitCode}:\n{result.Output}\nagent A:\n{a.Output}\nagent B:\n{b?.Output}";
        Assert.True(result.ExitCode == 0, report);
        Assert.Equal(0, NodeClient.FailCount(result.Output));
        Assert.True(NodeClient.PassCount(result.Output) == expectedPasses, report);
    }

    [Fact]
    public async Task NpmConsulClient_KeyValues_SurviveKillNineAndRestart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sb-kv-npm-kill-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var agent = await AgentProcess.StartAsync("--data-dir", dataDir))
            {
                await RunPhaseAsync("write", 1, agent);
                await agent.KillAsync(); // SIGKILL: only what each acknowledged write fsynced survives
            }
            await using var restarted = await AgentProcess.StartAsync("--data-dir", dataDir);
            await RunPhaseAsync("read", 1, restarted);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task NpmConsulClient_KeyValues_AcrossTwoAgentsOnOneRedis()
    {
        await using var redis = await RedisServer.StartAsync();
        var ns = "kvnpm" + Guid.NewGuid().ToString("N")[..8];
        string[] args = ["--store", "redis", "--redis", redis.ConnectionString, "--redis-namespace", ns];
        await using var a = await AgentProcess.StartAsync(args);
        await using var b = await AgentProcess.StartAsync(args);

        await RunPhaseAsync("nodes", 3, a, b);
    }
}

namespace Switchboard.Cli.Tests.Consul;

/// <summary>
/// A real Consul client library that no one here wrote (npm <c>consul</c>, pinned in test/consul-client/package.json)
/// drives the real <c>switchboard agent</c> process: register with HTTP and TTL checks, pass the TTL check, list the
/// catalog, query passing instances by tag, watch, deregister; then, against an agent with ACLs on, the same client with a
/// token and without; and its key/value API against an agent with its embedded store. See test/consul-client/consul-client.test.js,
/// consul-client-acl.test.js and consul-kv.test.js.
/// </summary>
public sealed class ConsulClientTests
{
    [Fact]
    public async Task NpmConsulClient_AgainstRealAgent_AllScenariosPass()
    {
        var (node, clientDir) = await NodeClient.PrepareAsync("consul-client", "consul");

        await using var agent = await AgentProcess.StartAsync("--dev");
        var result = await NodeClient.TestAsync(node, clientDir, "consul-client.test.js",
            [("SWITCHBOARD_CONSUL_HOST", agent.BaseUri.Host), ("SWITCHBOARD_CONSUL_PORT", NodeClient.Port(agent))]);

        var report = $"node exited {result.ExitCode}:\n{result.Output}\nagent:\n{agent.Output}";
        Assert.True(result.ExitCode == 0, report);
        Assert.Equal(0, NodeClient.FailCount(result.Output));
        Assert.True(NodeClient.PassCount(result.Output) >= 8, report);

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
        var acl = await NodeClient.TestAsync(node, clientDir, "consul-client-acl.test.js",
            [("SWITCHBOARD_CONSUL_HOST", secured.BaseUri.Host), ("SWITCHBOARD_CONSUL_PORT", NodeClient.Port(secured)),
             ("SWITCHBOARD_CONSUL_TOKEN", management)]);
        var aclReport = $"node exited {acl.ExitCode}:\n{acl.Output}\nagent:\n{secured.Output}";
        Assert.True(acl.ExitCode == 0, aclReport);
        Assert.Equal(0, NodeClient.FailCount(acl.Output));
        Assert.Equal(4, NodeClient.PassCount(acl.Output));
    }

    [Fact]
    public async Task NpmConsulClient_KeyValues_AgainstTheAgentsEmbeddedStore()
    {
        var (node, clientDir) = await NodeClient.PrepareAsync("consul-client", "consul");
        var dataDir = Path.Combine(Path.GetTempPath(), "sb-kv-npm-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var agent = await AgentProcess.StartAsync("--data-dir", dataDir);
            var result = await NodeClient.TestAsync(node, clientDir, "consul-kv.test.js",
                [("SWITCHBOARD_CONSUL_HOST", agent.BaseUri.Host), ("SWITCHBOARD_CONSUL_PORT", NodeClient.Port(agent))]);

            var report = $"node exited {result.ExitCode}:\n{result.Output}\nagent:\n{agent.Output}";
            Assert.True(result.ExitCode == 0, report);
            Assert.Equal(0, NodeClient.FailCount(result.Output));
            Assert.Equal(6, NodeClient.PassCount(result.Output));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

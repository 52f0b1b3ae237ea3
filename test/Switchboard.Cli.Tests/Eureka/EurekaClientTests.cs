namespace Switchboard.Cli.Tests.Eureka;

/// <summary>
/// A real Eureka client library that no one here wrote (npm <c>eureka-js-client</c> 4.5.0, pinned in
/// test/eureka-client/package.json) drives the real <c>switchboard agent</c> process through its default
/// <c>/eureka/v2/apps/</c> path: register, heartbeat, fetch the registry and find itself and a service registered
/// through the native API, be found through the native and Consul APIs, be hidden everywhere by an
/// <c>OUT_OF_SERVICE</c> override, deregister on stop. See test/eureka-client/eureka-client.test.js.
/// </summary>
public sealed class EurekaClientTests
{
    [Fact]
    public async Task NpmEurekaJsClient_AgainstRealAgent_AllScenariosPass()
    {
        var (node, clientDir) = await NodeClient.PrepareAsync("eureka-client", "eureka-js-client");

        await using var agent = await AgentProcess.StartAsync("--dev");
        var result = await NodeClient.TestAsync(node, clientDir, "eureka-client.test.js",
            [("SWITCHBOARD_HOST", agent.BaseUri.Host), ("SWITCHBOARD_PORT", NodeClient.Port(agent))]);

        var report = $"node exited {result.ExitCode}:\n{result.Output}\nagent:\n{agent.Output}";
        Assert.True(result.ExitCode == 0, report);
        Assert.Equal(0, NodeClient.FailCount(result.Output));
        Assert.True(NodeClient.PassCount(result.Output) == 6, report);
    }
}

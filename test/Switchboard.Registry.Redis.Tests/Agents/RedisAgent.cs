namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>The real <c>switchboard agent</c> as a Redis node: its node id set, its output written to the test's output on dispose.</summary>
internal static class RedisAgent
{
    private const string NodeIdVariable = "Switchboard__Store__Redis__NodeId";

    /// <summary>Starts the agent with <paramref name="args"/> after <c>agent --port 0</c> and waits for its start-up line.</summary>
    public static Task<ServiceProcess> StartAsync(string nodeId, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string> { [NodeIdVariable] = nodeId };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            variables[key] = value;
        return AgentProcess.StartAsync(args, new AgentProcess.Options { Name = nodeId, Environment = variables, WriteOutputOnDispose = true });
    }

    /// <summary>Runs the agent to its end (for start-up failures) and returns its exit code, stdout and stderr.</summary>
    public static Task<ProcessResult> RunToExitAsync(IEnumerable<string> args)
        => AgentProcess.RunToExitAsync(args, new Dictionary<string, string> { [NodeIdVariable] = "x" });
}

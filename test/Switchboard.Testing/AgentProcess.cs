namespace Switchboard.Testing;

/// <summary>Starts the real <c>switchboard agent</c> (the built CLI) as a <see cref="ServiceProcess"/>.</summary>
public static class AgentProcess
{
    /// <summary>How an agent is started.</summary>
    public sealed record Options
    {
        /// <summary>What the test calls it (written with its output); "agent" by default.</summary>
        public string Name { get; init; } = "agent";

        /// <summary>The port to listen on; 0 (the default) lets the agent take a free one and reads it from its start-up line.</summary>
        public int Port { get; init; }

        /// <summary>Environment variables to set for it.</summary>
        public IReadOnlyDictionary<string, string>? Environment { get; init; }

        /// <summary>When true, its output is written to the current test's output when it is disposed.</summary>
        public bool WriteOutputOnDispose { get; init; }

        /// <summary>When set, the agent starts with this open-file limit, soft and hard (Linux).</summary>
        public int? OpenFileLimit { get; init; }
    }

    /// <summary>Starts <c>switchboard agent --port 0 <paramref name="args"/></c> and waits until it listens.</summary>
    public static Task<ServiceProcess> StartAsync(params string[] args) => StartAsync(args, null);

    /// <summary>
    /// Starts <c>switchboard agent --port N <paramref name="args"/></c> and waits until it listens. DNS is off
    /// (<c>--dns-port 0</c>) unless <paramref name="args"/> name a <c>--dns-port</c>: parallel agents never contend for 8600.
    /// </summary>
    public static Task<ServiceProcess> StartAsync(IEnumerable<string> args, Options? options)
    {
        options ??= new Options();
        string[] arguments = ["agent", "--port", options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. WithDnsOff(args)];
        return ServiceProcess.StartAsync(options.Name, RepositoryPaths.AgentDll, arguments, new ServiceProcessOptions
        {
            Environment = options.Environment?.ToDictionary(e => e.Key, e => (string?)e.Value),
            WriteOutputOnDispose = options.WriteOutputOnDispose,
            OpenFileLimit = options.OpenFileLimit,
        });
    }

    /// <summary>Runs <c>switchboard agent --port 0 <paramref name="args"/></c> to its end (for start-up failures).</summary>
    public static Task<ProcessResult> RunToExitAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = ProcessRunner.CliStartInfo(["agent", "--port", "0", .. WithDnsOff(args)]);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        return ProcessRunner.RunAsync(info);
    }

    private static IEnumerable<string> WithDnsOff(IEnumerable<string> args)
    {
        var list = args.ToList();
        return list.Contains("--dns-port") ? list : [.. list, "--dns-port", "0"];
    }
}

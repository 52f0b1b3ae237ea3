using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>A real <c>switchboard agent</c> process on 127.0.0.1:&lt;free port&gt;, killed (SIGKILL) on dispose, when its output goes to the test's output.</summary>
internal sealed partial class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AgentProcess(Process process, string nodeId)
    {
        _process = process;
        NodeId = nodeId;
    }

    public string NodeId { get; }

    public HttpClient Client { get; private set; } = null!;

    public string Output => string.Join("\n", _output);

    public bool HasExited => _process.HasExited;

    public static string CliPath
    {
        get
        {
            var configuration = typeof(AgentProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
                dir = dir.Parent;
            Assert.NotNull(dir);
            var path = Path.Combine(dir.FullName, "src", "Switchboard.Cli", "bin", configuration!, "net10.0", "switchboard.dll");
            Assert.True(File.Exists(path), $"{path} is not built");
            return path;
        }
    }

    /// <summary>Starts the agent with <paramref name="args"/> after <c>agent --port 0</c> and waits for its start-up line.</summary>
    public static async Task<AgentProcess> StartAsync(string nodeId, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var process = Launch(nodeId, args, environment);
        var agent = new AgentProcess(process, nodeId);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            agent._output.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
                listening.TrySetResult(match.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                agent._output.Enqueue("stderr: " + e.Data);
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the agent exited"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            agent.Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(90) };
        }
        catch (Exception ex)
        {
            await agent.DisposeAsync();
            throw new InvalidOperationException($"agent {nodeId} did not start: {ex.Message}\n{agent.Output}", ex);
        }
        return agent;
    }

    /// <summary>Runs the agent to its end (for start-up failures) and returns its exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(IEnumerable<string> args)
        => ToolProcess.RunAsync(AgentStartInfo("x", args, null));

    /// <summary>Runs a client command of the CLI (<c>switchboard register ...</c>) to its end.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] args)
        => ToolProcess.RunAsync(CliStartInfo(args));

    private static Process Launch(string nodeId, IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var info = AgentStartInfo(nodeId, args, environment);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static ProcessStartInfo AgentStartInfo(string nodeId, IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var info = CliStartInfo(["agent", "--port", "0", .. args]);
        info.Environment["Switchboard__Store__Redis__NodeId"] = nodeId;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        return info;
    }

    private static ProcessStartInfo CliStartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(CliPath);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    /// <summary>kill -9.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        Client?.Dispose();
        _process.Dispose();
        TestContext.Current.TestOutputHelper?.WriteLine($"--- agent {NodeId} ---\n{Output}");
    }

    [GeneratedRegex(@"switchboard agent listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}

using System.Globalization;

namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>
/// One real <c>switchboard agent</c> the nemesis may kill (then restart on the same port and data), pause and resume;
/// disposing it resumes and kills it.
/// </summary>
public sealed class AgentNode : IAgentEndpoint, IAsyncDisposable
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private ServiceProcess _process;
    private bool _paused;

    private AgentNode(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, ServiceProcess process)
    {
        Name = name;
        _arguments = arguments;
        _environment = environment;
        _process = process;
        Port = process.BaseUri.Port;
        BaseUri = new Uri($"http://127.0.0.1:{Port}");
    }

    /// <summary>Its name in the history.</summary>
    public string Name { get; }

    /// <summary>The loopback port it listens on, kept across restarts.</summary>
    public int Port { get; }

    /// <summary>Its address, kept across restarts.</summary>
    public Uri BaseUri { get; }

    /// <summary>Starts <c>switchboard agent <paramref name="arguments"/></c> on a free port.</summary>
    public static async Task<AgentNode> StartAsync(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
        => new(name, arguments, environment, await AgentProcess.StartAsync(arguments, new AgentProcess.Options { Name = name, Environment = environment }));

    /// <summary>SIGKILLs it (a crash: nothing is flushed that was not acknowledged).</summary>
    public async Task KillAsync()
    {
        await _process.KillAsync();
        _paused = false;
    }

    /// <summary>Starts it again on the same port with the same arguments (and so the same data), retrying while the port is still held.</summary>
    public async Task RestartAsync()
    {
        await _process.DisposeAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _process = await AgentProcess.StartAsync(_arguments, new AgentProcess.Options { Name = Name, Port = Port, Environment = _environment });
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    /// <summary>SIGSTOPs it: it holds its connections and answers nothing until resumed.</summary>
    public async Task PauseAsync()
    {
        await SignalAsync("-STOP");
        _paused = true;
    }

    /// <summary>SIGCONTs it when paused.</summary>
    public async Task ResumeAsync()
    {
        if (!_paused)
            return;
        await SignalAsync("-CONT");
        _paused = false;
    }

    /// <summary>Resumes it when paused and restarts it when it is not running.</summary>
    public async Task HealAsync()
    {
        await ResumeAsync();
        if (_process.HasExited)
            await RestartAsync();
    }

    /// <summary>What it printed since its last start.</summary>
    public string Output => _process.Output;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_paused && !_process.HasExited)
            await SignalAsync("-CONT");
        await _process.DisposeAsync();
    }

    private async Task SignalAsync(string signal)
    {
        if (_process.HasExited)
            return;
        var result = await ProcessRunner.RunAsync("kill", signal, _process.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"kill {signal} {_process.ProcessId}: {result.Stderr}");
    }
}

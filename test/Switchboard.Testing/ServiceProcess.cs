using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Switchboard.Testing;

/// <summary>How a <see cref="ServiceProcess"/> is started.</summary>
public sealed record ServiceProcessOptions
{
    /// <summary>How long it may take to print its "listening on URL" line.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Environment variables to set; a null value removes the variable from what the process inherits.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>When true, everything it printed is written to the current test's output when it is disposed.</summary>
    public bool WriteOutputOnDispose { get; init; }

    /// <summary>When set, the process starts with this open-file limit, soft and hard (through util-linux's <c>prlimit</c>, Linux only).</summary>
    public int? OpenFileLimit { get; init; }
}

/// <summary>
/// One real process (<c>dotnet some.dll ...</c>) on loopback: its stdout and stderr lines are kept, its address is read from
/// its "listening on URL" line, and it is killed with its whole process tree on disposal and when it fails to start.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _writeOutputOnDispose;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lazy<HttpClient> _client;

    private ServiceProcess(string name, Process process, bool writeOutputOnDispose)
    {
        Name = name;
        _process = process;
        _writeOutputOnDispose = writeOutputOnDispose;
        _client = new(() => new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(90) });
    }

    /// <summary>What the test calls it (a service, an agent's node id).</summary>
    public string Name { get; }

    /// <summary>The address from its "listening on" line.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>An HTTP client on <see cref="BaseUri"/> (90 s timeout), disposed with the process.</summary>
    public HttpClient Client => _client.Value;

    /// <summary>Whether the process has exited (or been killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Every line it wrote so far, stdout and stderr, in the order they arrived.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary><see cref="Lines"/> as one text.</summary>
    public string Output => string.Join("\n", _lines);

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> and waits for its "listening on http://..." line.</summary>
    /// <exception cref="InvalidOperationException">It exited or did not listen in time; it has been killed, and the message holds its output.</exception>
    public static async Task<ServiceProcess> StartAsync(string name, string dll, IEnumerable<string> arguments, ServiceProcessOptions? options = null)
    {
        options ??= new ServiceProcessOptions();
        var info = ProcessRunner.DotnetStartInfo(dll, arguments);
        if (options.OpenFileLimit is { } limit)
        {
            // prlimit sets the limit and execs the command: the process id stays the one started here.
            string[] command = [$"--nofile={limit}:{limit}", info.FileName, .. info.ArgumentList];
            info.FileName = "prlimit";
            info.ArgumentList.Clear();
            foreach (var arg in command)
                info.ArgumentList.Add(arg);
        }
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        foreach (var (key, value) in options.Environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                info.Environment.Remove(key);
            else
                info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process, options.WriteOutputOnDispose);
        process.OutputDataReceived += (_, e) => service.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => service.OnLine(e.Data);
        process.Exited += (_, _) => service._listening.TrySetException(new InvalidOperationException($"{name} exited before listening"));
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            service.BaseUri = await service._listening.Task.WaitAsync(options.StartTimeout);
            return service;
        }
        catch (Exception ex)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException($"{name} did not start: {ex.Message}\n{service.Output}", ex);
        }
    }

    /// <summary>SIGKILLs the process tree (no graceful shutdown, no flush beyond what was acknowledged), as a crash would.</summary>
    public Task KillAsync() => ProcessTree.KillAsync(_process);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_client.IsValueCreated)
            _client.Value.Dispose();
        _process.Dispose();
        if (_writeOutputOnDispose)
            TestContext.Current.TestOutputHelper?.WriteLine($"--- {Name} ---\n{Output}");
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        _lines.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    [GeneratedRegex(@"listening on (https?://\S+)")]
    private static partial Regex ListeningLine();
}

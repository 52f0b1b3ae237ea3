using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Switchboard.Samples.Tests.TestSupport;

/// <summary>
/// One real process (<c>dotnet some.dll ...</c>) on loopback: its output lines are kept, its address is read from its
/// "listening on URL" line, and it is killed with its process tree on disposal.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    private static readonly string[] SeedVariables = ["GIS_SERVICE_URL", "ROS_SERVICE_URL", "SCADA_SERVICE_URL", "WEATHER_SERVICE_URL", "SENSOR_DATA_SERVICE_URL"];

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public Uri BaseUri { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    /// <summary>Everything the process wrote so far, stdout and stderr.</summary>
    public IReadOnlyList<string> Output => [.. _lines];

    public static async Task<ServiceProcess> StartAsync(string name, string dll, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var variable in SeedVariables)
            info.Environment.Remove(variable);

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process);
        process.OutputDataReceived += (_, e) => service.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => service.OnLine(e.Data);
        process.Exited += (_, _) => service._listening.TrySetException(new InvalidOperationException(
            $"{name} exited before listening; its output:{Environment.NewLine}{string.Join(Environment.NewLine, service._lines.TakeLast(20))}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            service.BaseUri = await service._listening.Task.WaitAsync(timeout);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process tree (no graceful shutdown), as a crash would.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        _lines.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}

using System.Diagnostics;

namespace Switchboard.Client.Tests.Integration;

/// <summary>The real <c>switchboard agent --dev</c> process on a loopback port, from the CLI's build output.</summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AgentProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public static async Task<AgentProcess> StartAsync(int port)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { CliPath(), "agent", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dev" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the agent");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains("listening on", StringComparison.Ordinal))
            {
                _ = DrainAsync(process);
                return new AgentProcess(process, new Uri($"http://127.0.0.1:{port}/"));
            }
        }
        throw new InvalidOperationException($"the agent exited with code {(process.HasExited ? process.ExitCode : -1)} before listening");
    }

    /// <summary>Kills the process (no graceful shutdown), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static async Task DrainAsync(Process process)
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string CliPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
            dir = dir.Parent;
        if (dir is null)
            throw new InvalidOperationException("repository root (Switchboard.slnx) not found above " + AppContext.BaseDirectory);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(dir.FullName, "src", "Switchboard.Cli", "bin", configuration, "net10.0", "switchboard.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Switchboard.Cli first.", path);
    }
}

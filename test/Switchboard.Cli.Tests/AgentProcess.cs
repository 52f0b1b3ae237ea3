using System.Diagnostics;
using System.Text;

namespace Switchboard.Cli.Tests;

/// <summary>The real <c>switchboard agent</c> process on a free loopback port; killed (with its children) on dispose.</summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static string SwitchboardDll => Path.Combine(AppContext.BaseDirectory, "switchboard.dll");

    public static async Task<AgentProcess> StartAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(SwitchboardDll);
        info.ArgumentList.Add("agent");
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add("0");
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
            const string marker = "switchboard agent listening on ";
            if (e.Data.StartsWith(marker, StringComparison.Ordinal))
                listening.TrySetResult(new Uri(e.Data[marker.Length..].Split(' ')[0]));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the agent exited before listening"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var agent = new AgentProcess(process, address);
            lock (output)
                agent._output.Append(output);
            return agent;
        }
        catch
        {
            Kill(process);
            lock (output)
                throw new InvalidOperationException($"The agent did not start:\n{output}");
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, no flush beyond what was acknowledged.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill(_process);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}

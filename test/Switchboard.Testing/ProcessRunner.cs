using System.Diagnostics;

namespace Switchboard.Testing;

/// <summary>What a process that ran to its end printed, and how it exited.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">All it wrote to standard output.</param>
/// <param name="Stderr">All it wrote to standard error.</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs short-lived commands (a <c>switchboard</c> client command, redis-cli, node) to their end; the whole process tree is killed when one overruns.</summary>
public static class ProcessRunner
{
    /// <summary>How long a command may run unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="info"/> (its output redirected here) to its end.</summary>
    /// <exception cref="TimeoutException">It did not exit within <paramref name="timeout"/>; it and its children were killed.</exception>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo info, TimeSpan? timeout = null)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var bound = timeout ?? DefaultTimeout;
        using var deadline = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await ProcessTree.KillAsync(process);
            throw new TimeoutException($"{Describe(info)} did not exit within {bound}:\n{await stdout}{await stderr}");
        }
        finally
        {
            await ProcessTree.KillAsync(process);
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="args"/> to its end.</summary>
    public static Task<ProcessResult> RunAsync(string fileName, params string[] args) => RunAsync(new ProcessStartInfo(fileName, args));

    /// <summary>Runs the built CLI (<c>dotnet switchboard.dll args...</c>) to its end.</summary>
    public static Task<ProcessResult> RunCliAsync(params string[] args) => RunAsync(CliStartInfo(args));

    /// <summary><c>dotnet switchboard.dll args...</c> for the built CLI, output not yet redirected.</summary>
    public static ProcessStartInfo CliStartInfo(IEnumerable<string> args) => DotnetStartInfo(RepositoryPaths.AgentDll, args);

    /// <summary><c>dotnet <paramref name="dll"/> args...</c>, without the first-run banner or telemetry.</summary>
    public static ProcessStartInfo DotnetStartInfo(string dll, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return info;
    }

    private static string Describe(ProcessStartInfo info) =>
        info.ArgumentList.Count > 0 ? $"{info.FileName} {string.Join(' ', info.ArgumentList)}" : $"{info.FileName} {info.Arguments}".TrimEnd();
}

/// <summary>Ends a child process together with everything it started.</summary>
public static class ProcessTree
{
    /// <summary>SIGKILLs <paramref name="process"/> and its descendants (no graceful shutdown) and waits (bounded) until it has exited; a process that has exited, or never started, is left as it is.</summary>
    public static async Task KillAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(bound.Token);
        }
        catch (InvalidOperationException)
        {
            // never started, or already disposed
        }
        catch (OperationCanceledException)
        {
            // killed, but not reaped within the bound: teardown goes on
        }
    }
}

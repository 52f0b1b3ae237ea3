using System.Diagnostics;
using System.Text;

namespace Switchboard.Bench.Tests;

/// <summary>Runs the built load harness as a child process within a time bound; stopped (SIGTERM, then its whole process tree killed) on timeout or failure.</summary>
internal static class HarnessProcess
{
    public sealed record Outcome(int ExitCode, bool TimedOut, TimeSpan Took, string Output);

    public static async Task<Outcome> RunAsync(IEnumerable<string> args, TimeSpan bound, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepositoryPaths.HarnessDll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
        }
        finally
        {
            await StopAsync(process);
        }
        lock (output)
            return new Outcome(timedOut ? -1 : process.ExitCode, timedOut, clock.Elapsed, output.ToString());
    }

    /// <summary>SIGTERM first (the harness stops what it started and deletes its scratch folder), then the whole tree is killed.</summary>
    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync(CancellationToken.None);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                // it did not stop in time: killed below
            }
        }
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }
}

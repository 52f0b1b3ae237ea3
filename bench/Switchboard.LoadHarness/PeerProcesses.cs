using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.LoadHarness;

/// <summary>What every process the harness starts needs: a port, a bounded wait until it answers, and a stop for good, also when the run is interrupted.</summary>
internal static class PeerProcesses
{
    private static readonly ConcurrentDictionary<Process, bool> Running = new();

    /// <summary>The processes started and not stopped yet.</summary>
    public static int RunningCount => Running.Count;

    /// <summary>Starts a process and remembers it until <see cref="Stop"/>.</summary>
    public static Process Start(ProcessStartInfo info)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {info.FileName}");
        Running[process] = true;
        return process;
    }

    /// <summary>A loopback port free at the time of asking, for programs that cannot bind port 0 and report it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="probe"/> (bounded: 100 tries, 100 ms apart) until it answers 2xx.</summary>
    public static async Task<bool> AnswersAsync(Uri probe)
    {
        using var http = new HttpClient();
        return await UntilAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync(probe);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false; // not up yet
            }
        });
    }

    /// <summary>Polls <paramref name="ready"/> (bounded: 100 tries, 100 ms apart) until it returns true.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> ready)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await ready())
                return true;
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Kills the process with its children and reaps it; a process already gone is fine.</summary>
    public static void Stop(Process process)
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
        Running.TryRemove(process, out _);
        process.Dispose();
    }

    /// <summary>Stops every process still running (the run was interrupted).</summary>
    public static void StopAll()
    {
        foreach (var process in Running.Keys)
            Stop(process);
    }
}

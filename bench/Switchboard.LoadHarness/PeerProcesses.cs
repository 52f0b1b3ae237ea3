using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.LoadHarness;

/// <summary>What every peer process the harness starts needs: a port, wait until it answers, and stop it for good.</summary>
internal static class PeerProcesses
{
    /// <summary>Polls <paramref name="probe"/> (bounded: 100 tries, 100 ms apart) until it answers 2xx.</summary>
    public static async Task<bool> AnswersAsync(Uri probe)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var response = await http.GetAsync(probe);
                if (response.IsSuccessStatusCode)
                    return true;
            }
            catch (HttpRequestException)
            {
                // not up yet
            }
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>A loopback port free at the time of asking, for programs that cannot bind port 0 and report it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
        process.Dispose();
    }
}

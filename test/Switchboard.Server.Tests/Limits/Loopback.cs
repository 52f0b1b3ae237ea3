using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Server.Tests.Limits;

/// <summary>Clients of a real agent from chosen loopback addresses (all of 127.0.0.0/8 reaches it), and its memory.</summary>
internal static class Loopback
{
    /// <summary>An HTTP client whose connections come from <paramref name="source"/> (127.0.0.x): another client address for the per-client limits.</summary>
    public static HttpClient From(string source, Uri agent) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = agent, Timeout = TimeSpan.FromSeconds(90) };

    /// <summary>Opens a TCP connection from <paramref name="source"/> that sends nothing.</summary>
    public static async Task<Socket> IdleAsync(Uri agent, string source = "127.0.0.1", int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (receiveBuffer is { } size)
                socket.ReceiveBufferSize = size;
            socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
            await socket.ConnectAsync(IPAddress.Loopback, agent.Port, TestContext.Current.CancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <c>GET path</c> on a fresh connection from <paramref name="source"/> and reads until the agent closes it (or 30 s): the raw answer, empty when it closed without one.</summary>
    public static async Task<string> RawGetAsync(Uri agent, string path, string source = "127.0.0.1")
    {
        using var socket = await IdleAsync(agent, source);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var answer = new StringBuilder();
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {agent.Authority}\r\nConnection: close\r\n\r\n"), timeout.Token);
            var buffer = new byte[4096];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
                answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        catch (SocketException)
        {
            // closed with a reset: what arrived before is the answer
        }
        return answer.ToString();
    }

    /// <summary>The resident memory of process <paramref name="pid"/> in MiB, from /proc/&lt;pid&gt;/status.</summary>
    public static double ResidentMiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }

    /// <summary>Polls <paramref name="probe"/> until it returns true or 30 s pass (no timing is asserted).</summary>
    public static async Task UntilAsync(Func<Task<bool>> probe, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (!await probe())
        {
            if (DateTimeOffset.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}

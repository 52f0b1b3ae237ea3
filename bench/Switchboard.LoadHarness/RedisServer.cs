using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.LoadHarness;

/// <summary>redis-server (Debian's package) on a free loopback port without persistence: the shared store of the agents on Redis.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What <c>switchboard agent --redis</c> takes.</summary>
    public string Connection => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        var port = PeerProcesses.FreePort();
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no" })
            info.ArgumentList.Add(a);
        var process = PeerProcesses.Start(info);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new RedisServer(process, port);
        if (await PeerProcesses.UntilAsync(redis.PongsAsync))
            return redis;
        redis.Dispose();
        throw new InvalidOperationException($"redis-server did not answer PING on port {port}");
    }

    /// <summary>The version redis-server reports, e.g. 7.0.15.</summary>
    public static string Version()
    {
        var banner = Tools.FirstLine("redis-server", "--version");
        var at = banner.IndexOf("v=", StringComparison.Ordinal);
        return at < 0 ? banner : banner[(at + 2)..].Split(' ')[0];
    }

    private async Task<bool> PongsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose() => PeerProcesses.Stop(_process);
}

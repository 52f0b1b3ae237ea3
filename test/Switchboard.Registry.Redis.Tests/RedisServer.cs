using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Registry.Redis.Tests;

/// <summary>
/// A real redis-server on 127.0.0.1:&lt;free port&gt; with its files in a temp folder: plain with an append-only file by
/// default, or TLS-only, a cluster node, a replica or a Sentinel (<see cref="RedisServerSettings"/>). Stopped and restarted
/// at will, killed on dispose.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>The master name a Sentinel started here monitors.</summary>
    public const string SentinelService = "mymaster";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-redis-" + Guid.NewGuid().ToString("N"));
    private readonly RedisServerSettings _settings;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private RedisServer(RedisServerSettings settings)
    {
        _settings = settings;
        Port = Ports.Free();
        BusPort = settings.ClusterNode ? Ports.Free() : 0;
        Directory.CreateDirectory(_dir);
    }

    public int Port { get; }

    /// <summary>The cluster bus port of a cluster node.</summary>
    public int BusPort { get; }

    public string? Password => _settings.Password;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>How a client reaches it: password, TLS host name or Sentinel service included.</summary>
    public string ConnectionString => Endpoint
        + (Password is null ? "" : $",password={Password}")
        + (_settings.Tls is { } tls ? $",ssl=true,sslHost={tls.Host}" : "")
        + (_settings.SentinelFor is not null ? $",serviceName={SentinelService}" : "");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What the server printed, for failure messages.</summary>
    public string Output => string.Join("\n", _output);

    public static Task<RedisServer> StartAsync(string? password = null) => StartAsync(new RedisServerSettings { Password = password });

    /// <summary>
    /// Starts a server on a free port. The port is free when chosen, but any outgoing connection of the parallel test
    /// run may take it before redis-server binds it: then it starts again on another port (three tries).
    /// </summary>
    public static async Task<RedisServer> StartAsync(RedisServerSettings settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(settings);
            try
            {
                await server.StartAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && server.Output.Contains("Address already in use", StringComparison.Ordinal))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts (or restarts) the server on the same port and data folder.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in Arguments())
            info.ArgumentList.Add(arg);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            _output.Enqueue(e.Data);
            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
                ready.TrySetResult();
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                _output.Enqueue("stderr: " + e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} (port {Port}):\n{Output}");
            // A TLS port cannot be pinged in plain text: it is up when the server says so (a Sentinel never says so).
            if (_settings.Tls is not null ? ready.Task.IsCompleted : await PingAsync())
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"redis-server did not answer on port {Port}:\n{Output}");
    }

    private List<string> Arguments()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        if (_settings.SentinelFor is { } master)
        {
            // A Sentinel rewrites its configuration file: it is written once and kept across restarts.
            var config = Path.Combine(_dir, "sentinel.conf");
            if (!File.Exists(config))
            {
                File.WriteAllText(config, string.Join("\n",
                    $"port {port}", "bind 127.0.0.1", "protected-mode no", $"dir {_dir}",
                    $"sentinel monitor {SentinelService} 127.0.0.1 {master.ToString(CultureInfo.InvariantCulture)} 1",
                    $"sentinel down-after-milliseconds {SentinelService} 1000",
                    $"sentinel failover-timeout {SentinelService} 10000", ""));
            }
            return [config, "--sentinel"];
        }
        List<string> args = ["--bind", "127.0.0.1", "--dir", _dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "",
            "--protected-mode", "no", "--daemonize", "no"];
        if (_settings.Tls is { } tls)
            args.AddRange(["--port", "0", "--tls-port", port, "--tls-cert-file", tls.CertificateFile, "--tls-key-file", tls.KeyFile,
                "--tls-ca-cert-file", tls.CaFile, "--tls-auth-clients", "no"]);
        else
            args.AddRange(["--port", port]);
        if (Password is not null)
            args.AddRange(["--requirepass", Password]);
        if (_settings.ClusterNode)
            args.AddRange(["--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(_dir, "nodes.conf"),
                "--cluster-port", BusPort.ToString(CultureInfo.InvariantCulture), "--cluster-node-timeout", "2000"]);
        if (_settings.ReplicaOf is { } primary)
            args.AddRange(["--replicaof", "127.0.0.1", primary.ToString(CultureInfo.InvariantCulture)]);
        return args;
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal);
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

    /// <summary>Stops the server gracefully (SIGTERM: the append-only file is complete) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
            return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(timeout.Token);
        process.Dispose();
        _process = null;
    }

    /// <summary>kill -9: the server vanishes without a word to its clients, replicas or Sentinels.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process)
            return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

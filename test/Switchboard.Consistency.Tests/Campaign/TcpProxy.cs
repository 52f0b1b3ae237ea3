using System.Net;
using System.Net.Sockets;

namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>
/// A loopback TCP proxy between an agent and its store's server: <see cref="Cut"/> resets every connection through it and
/// resets new ones until <see cref="Heal"/> (a partition of that agent from the store, the others unaffected).
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly HashSet<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    /// <summary>Starts listening on a free loopback port and forwarding to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public TcpProxy(string name, int targetPort)
    {
        Name = name;
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>What the history calls the link.</summary>
    public string Name { get; }

    /// <summary>The loopback port the agent connects to instead of the server's.</summary>
    public int Port { get; }

    /// <summary>Resets every connection and every new one until healed.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_lock)
        {
            foreach (var socket in _open)
                Reset(socket);
            _open.Clear();
        }
    }

    /// <summary>Forwards new connections again.</summary>
    public void Heal() => _cut = false;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Cut();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_cut)
                Reset(client);
            else
                _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            lock (_lock)
            {
                if (_cut)
                    throw new IOException("cut");
                _open.Add(client);
                _open.Add(upstream);
            }
            using var pump = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var copies = new[] { CopyAsync(client, upstream, pump.Token), CopyAsync(upstream, client, pump.Token) };
            await Task.WhenAny(copies);
            await pump.CancelAsync();
            await Task.WhenAll(copies);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the server is down, the link was cut, or the proxy is stopping: both sides are reset below
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(client);
                _open.Remove(upstream);
            }
            Reset(client);
            Reset(upstream);
        }
    }

    private static async Task CopyAsync(TcpClient from, TcpClient to, CancellationToken cancellationToken)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // one side went away
        }
    }

    /// <summary>Closes with a reset (linger 0), as a dropped link looks to both ends.</summary>
    private static void Reset(TcpClient socket)
    {
        try
        {
            if (socket.Client is { } s)
                s.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // already closed
        }
        socket.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Testing;

/// <summary>
/// A hung service: a TCP server on 127.0.0.1 that accepts every connection, reads what it is sent and never answers.
/// A connection is closed (its socket freed) as soon as its peer closes it, so probes that time out do not pile up sockets here.
/// </summary>
/// <remarks>Also compiled into <c>bench/Switchboard.LoadHarness</c> (linked), so the harness and the tests hang the same way.</remarks>
public sealed class SilentTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _accepting;
    private long _accepted;

    private SilentTcpServer(int backlog)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptLoopAsync();
    }

    /// <summary>The port it listens on (on 127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>How many connections it has accepted.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>How many accepted connections are still open.</summary>
    public int Open => _open.Count;

    /// <summary>Starts listening on a free port of 127.0.0.1 with room for <paramref name="backlog"/> pending connections.</summary>
    public static SilentTcpServer Start(int backlog = 4096) => new(backlog);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // the peer gave up before the accept
            }
            Interlocked.Increment(ref _accepted);
            _open[socket] = 0;
            _ = DrainAsync(socket);
        }
    }

    private async Task DrainAsync(Socket socket)
    {
        var buffer = new byte[512];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false) > 0)
            {
                // read the request, never answer it
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped, or the peer reset the connection
        }
        finally
        {
            _open.TryRemove(socket, out _);
            socket.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        foreach (var socket in _open.Keys)
            socket.Dispose();
        _stop.Dispose();
    }
}

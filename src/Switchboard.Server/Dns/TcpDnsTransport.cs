using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace Switchboard.Server.Dns;

/// <summary>
/// DNS over TCP for the library's <see cref="DnsServer"/>, with the agent's limits: at most
/// <see cref="DnsInterfaceOptions.MaxTcpConnections"/> connections (one past it is closed at once), each answering one
/// query at a time (the next is read once the previous answer is sent), closed when idle for
/// <see cref="DnsInterfaceOptions.TcpIdleTimeout"/>, after <see cref="DnsInterfaceOptions.MaxQueriesPerTcpConnection"/>
/// queries, or at the first message that does not parse (the stream's framing can no longer be trusted).
/// </summary>
internal sealed class TcpDnsTransport(IPEndPoint endPoint, DnsInterfaceOptions options, TimeProvider time) : IServerTransport
{
    private readonly TcpListener _listener = new(endPoint);
    private int _open;

    public ushort DefaultAllowedResponseSize => ushort.MaxValue;

    public bool SupportsMultipleResponses => false;

    public bool AllowTruncatedResponses => false;

    public TransportProtocol TransportProtocol => TransportProtocol.Tcp;

    /// <summary>The connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>The bound address.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Called for each connection closed at once because <see cref="DnsInterfaceOptions.MaxTcpConnections"/> were open.</summary>
    public Action? Refused { get; set; }

    public void Bind()
    {
        if (endPoint.Address.Equals(IPAddress.IPv6Any))
            _listener.Server.DualMode = true;
        _listener.Start();
    }

    public void Close() => _listener.Stop();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue; // gone before it was accepted
            }
            catch (Exception)
            {
                // Out of descriptors, or anything else: wait a little rather than spin, then accept again. Nothing may
                // escape: the library's accept loop would crash the process.
                if (!await PauseAsync(token).ConfigureAwait(false))
                    return null;
                continue;
            }
            if (Interlocked.Increment(ref _open) > options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _open);
                socket.Close(0);
                Refused?.Invoke();
                continue;
            }
            try
            {
                socket.NoDelay = true;
                return new Connection(this, socket);
            }
            catch (Exception)
            {
                // Reset between the accept and here (its addresses are gone): closed, next.
                socket.Dispose();
                Interlocked.Decrement(ref _open);
            }
        }
        return null;
    }

    private async Task<bool> PauseAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _listener.Stop();

    /// <summary>One TCP connection: length-prefixed queries (RFC 1035 4.2.2), one at a time.</summary>
    private sealed class Connection(TcpDnsTransport transport, Socket socket) : IServerConnection
    {
        private readonly SemaphoreSlim _answered = new(1, 1);
        private readonly IPEndPoint _remote = (IPEndPoint)socket.RemoteEndPoint!;
        private readonly IPEndPoint _local = (IPEndPoint)socket.LocalEndPoint!;
        private int _queries;
        private int _disposed;

        public IServerTransport Transport => transport;

        public IPEndPoint RemoteEndPoint => _remote;

        public IPEndPoint LocalEndPoint => _local;

        public bool CanRead => Volatile.Read(ref _disposed) == 0;

        public Task<bool> InitializeAsync(CancellationToken token = default) => Task.FromResult(true);

        public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token = default)
        {
            var options = transport.Options;
            using var idle = new CancellationTokenSource(options.TcpIdleTimeout, transport.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, token);
            try
            {
                // The previous query's answer is sent before the next query is read: one in flight per connection.
                await _answered.WaitAsync(linked.Token).ConfigureAwait(false);
                if (++_queries > options.MaxQueriesPerTcpConnection)
                    return End();
                var header = new byte[DnsRawPackage.LENGTH_HEADER_LENGTH];
                if (!await ReadAsync(header, linked.Token).ConfigureAwait(false))
                    return End();
                var length = (header[0] << 8) | header[1];
                var buffer = new byte[length + DnsRawPackage.LENGTH_HEADER_LENGTH];
                if (!await ReadAsync(buffer.AsMemory(DnsRawPackage.LENGTH_HEADER_LENGTH), linked.Token).ConfigureAwait(false))
                    return End();
                if (DnsPackets.Query(buffer, length, _remote, _local) is not { } package || !Parses(buffer))
                    return End();
                return package;
            }
            catch (Exception)
            {
                return End(); // timed out, reset, or anything else: the connection ends, never the server
            }
        }

        public async Task<bool> SendAsync(DnsRawPackage package, CancellationToken token = default)
        {
            try
            {
                using var timeout = new CancellationTokenSource(transport.Options.TcpIdleTimeout, transport.Time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, token);
                await socket.SendAsync(package.ToArraySegment(true), SocketFlags.None, linked.Token).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                Dispose();
                return false;
            }
            finally
            {
                if (Volatile.Read(ref _disposed) == 0)
                    _answered.Release();
            }
        }

        private async Task<bool> ReadAsync(Memory<byte> buffer, CancellationToken token)
        {
            while (buffer.Length > 0)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0)
                    return false;
                buffer = buffer[read..];
            }
            return true;
        }

        // The server would drop a message it cannot parse without an answer, and this connection would wait for that
        // answer: such a message ends the connection here instead.
        private static bool Parses(byte[] buffer)
        {
            try
            {
                DnsMessage.Parse(new ArraySegment<byte>(buffer, DnsRawPackage.LENGTH_HEADER_LENGTH, buffer.Length - DnsRawPackage.LENGTH_HEADER_LENGTH));
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <summary>The end of the connection: the server stops reading at a null query and never disposes it, so it is closed here.</summary>
        private DnsReceivedRawPackage? End()
        {
            Dispose();
            return null;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
                return;
            socket.Dispose();
            Interlocked.Decrement(ref transport._open);
        }
    }

    private DnsInterfaceOptions Options => options;

    private TimeProvider Time => time;
}

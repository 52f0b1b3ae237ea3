using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace Switchboard.Server.Dns;

/// <summary>
/// DNS over UDP for the library's <see cref="DnsServer"/>, with the agent's limits: a datagram is read only once a
/// query slot is free (<see cref="DnsInterfaceOptions.MaxConcurrentQueries"/>, released when the server disposes the
/// datagram's connection after answering), and runt packets and responses are dropped before parsing. The server reads
/// with one loop per transport: <see cref="Create"/> makes several over one socket, so reading is not one thread's work.
/// </summary>
internal sealed class UdpDnsTransport : IServerTransport
{
    // Room for a query with EDNS0 options in one Ethernet frame; a longer datagram is cut, fails to parse and is dropped.
    private const int ReceiveBufferSize = 1500;

    private readonly IPEndPoint _endPoint;
    private readonly SemaphoreSlim _querySlots;
    private readonly Socket _socket;
    private readonly bool _ownsSocket;
    private readonly DnsAnswerCache? _cache;

    private UdpDnsTransport(IPEndPoint endPoint, SemaphoreSlim querySlots, Socket socket, bool ownsSocket, DnsAnswerCache? cache)
    {
        _cache = cache;
        _endPoint = endPoint;
        _querySlots = querySlots;
        _socket = socket;
        _ownsSocket = ownsSocket;
    }

    /// <summary>
    /// <paramref name="readers"/> transports over one UDP socket on <paramref name="endPoint"/>; the first binds and closes it.
    /// With a <paramref name="cache"/>, a query it holds is answered in the read loop, without the server.
    /// </summary>
    public static UdpDnsTransport[] Create(IPEndPoint endPoint, SemaphoreSlim querySlots, int readers, DnsAnswerCache? cache)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        return [.. Enumerable.Range(0, readers).Select(i => new UdpDnsTransport(endPoint, querySlots, socket, ownsSocket: i == 0, cache))];
    }

    /// <summary>512: a client without EDNS0; one with it gets up to <see cref="DnsInterfaceOptions.MaxUdpResponseSize"/>.</summary>
    public ushort DefaultAllowedResponseSize => 512;

    public bool SupportsMultipleResponses => false;

    public bool AllowTruncatedResponses => true;

    public TransportProtocol TransportProtocol => TransportProtocol.Udp;

    /// <summary>The bound address.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Bind()
    {
        if (!_ownsSocket)
            return;
        if (_endPoint.Address.Equals(IPAddress.IPv6Any))
            _socket.DualMode = true;
        _socket.Bind(_endPoint);
    }

    public void Close()
    {
        if (_ownsSocket)
            _socket.Close();
    }

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _querySlots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            var handedOver = false;
            try
            {
                var buffer = new byte[ReceiveBufferSize + DnsRawPackage.LENGTH_HEADER_LENGTH];
                var received = await _socket.ReceiveFromAsync(buffer.AsMemory(DnsRawPackage.LENGTH_HEADER_LENGTH), SocketFlags.None,
                    new IPEndPoint(_endPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), token).ConfigureAwait(false);
                var remote = (IPEndPoint)received.RemoteEndPoint;
                var packet = buffer.AsMemory(DnsRawPackage.LENGTH_HEADER_LENGTH, received.ReceivedBytes);
                if (!DnsPackets.IsQuery(packet.Span))
                    continue; // dropped; the slot is released below
                var key = _cache is null ? null : DnsAnswerCache.Key(packet.Span);
                if (key is not null && await TryAnswerAsync(key, packet, remote, token).ConfigureAwait(false))
                    continue;
                var stamp = _cache?.Stamp() ?? default;
                if (DnsPackets.Query(buffer, received.ReceivedBytes, remote, LocalEndPoint) is not { } package)
                    continue;
                handedOver = true;
                return new Datagram(this, package, _querySlots, key, stamp);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (Exception)
            {
                // An ICMP error reported on the socket (a client gone), or anything else about one datagram: it is
                // dropped and the next read. Nothing may escape: the library's accept loop would crash the process.
            }
            finally
            {
                if (!handedOver)
                    _querySlots.Release();
            }
        }
        return null;
    }

    private async Task<bool> TryAnswerAsync(string key, ReadOnlyMemory<byte> query, IPEndPoint remote, CancellationToken token)
    {
        var answer = new byte[MaxCachedAnswer];
        var length = _cache!.TryAnswer(key, (ushort)((query.Span[0] << 8) | query.Span[1]), answer);
        if (length == 0)
            return false;
        await _socket.SendToAsync(answer.AsMemory(0, length), SocketFlags.None, remote, token).ConfigureAwait(false);
        return true;
    }

    private const int MaxCachedAnswer = 1232;

    public void Dispose()
    {
        if (_ownsSocket)
            _socket.Dispose();
    }

    /// <summary>One datagram: one query, one answer sent back to its sender.</summary>
    private sealed class Datagram(UdpDnsTransport transport, DnsReceivedRawPackage package, SemaphoreSlim querySlots, string? cacheKey, (long, long) stamp) : IServerConnection
    {
        private int _disposed;

        public IServerTransport Transport => transport;

        public IPEndPoint RemoteEndPoint => package.RemoteEndpoint;

        public IPEndPoint LocalEndPoint => package.LocalEndpoint;

        public bool CanRead { get; private set; } = true;

        public Task<bool> InitializeAsync(CancellationToken token = default) => Task.FromResult(true);

        public Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token = default)
        {
            CanRead = false;
            return Task.FromResult<DnsReceivedRawPackage?>(package);
        }

        public async Task<bool> SendAsync(DnsRawPackage answer, CancellationToken token = default)
        {
            try
            {
                var bytes = answer.ToArraySegment(false);
                var sent = await transport._socket.SendToAsync(bytes, SocketFlags.None, package.RemoteEndpoint, token).ConfigureAwait(false);
                if (cacheKey is not null)
                    transport._cache!.Add(cacheKey, stamp, bytes);
                return sent == answer.Length;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                querySlots.Release();
        }
    }
}

using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace Switchboard.Server.Dns;

/// <summary>
/// DNS over UDP for the library's <see cref="DnsServer"/>, with the agent's limits: a datagram is read only once a
/// query slot is free (<see cref="DnsInterfaceOptions.MaxConcurrentQueries"/>, released when the server disposes the
/// datagram's connection after answering), and runt packets and responses are dropped before parsing.
/// </summary>
internal sealed class UdpDnsTransport(IPEndPoint endPoint, SemaphoreSlim querySlots) : IServerTransport
{
    // Room for an EDNS0 query with options; a longer datagram is cut, fails to parse and is dropped.
    private const int ReceiveBufferSize = 4096;

    private readonly Socket _socket = new(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);

    /// <summary>512: a client without EDNS0; one with it gets up to <see cref="DnsInterfaceOptions.MaxUdpResponseSize"/>.</summary>
    public ushort DefaultAllowedResponseSize => 512;

    public bool SupportsMultipleResponses => false;

    public bool AllowTruncatedResponses => true;

    public TransportProtocol TransportProtocol => TransportProtocol.Udp;

    /// <summary>The bound address.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Bind()
    {
        if (endPoint.Address.Equals(IPAddress.IPv6Any))
            _socket.DualMode = true;
        _socket.Bind(endPoint);
    }

    public void Close() => _socket.Close();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                await querySlots.WaitAsync(token).ConfigureAwait(false);
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
                    new IPEndPoint(endPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), token).ConfigureAwait(false);
                var remote = (IPEndPoint)received.RemoteEndPoint;
                if (DnsPackets.Query(buffer, received.ReceivedBytes, remote, LocalEndPoint) is not { } package)
                    continue; // dropped; the slot is released below
                handedOver = true;
                return new Datagram(this, package, querySlots);
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
                    querySlots.Release();
            }
        }
        return null;
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>One datagram: one query, one answer sent back to its sender.</summary>
    private sealed class Datagram(UdpDnsTransport transport, DnsReceivedRawPackage package, SemaphoreSlim querySlots) : IServerConnection
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
                var sent = await transport._socket.SendToAsync(answer.ToArraySegment(false), SocketFlags.None, package.RemoteEndpoint, token).ConfigureAwait(false);
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

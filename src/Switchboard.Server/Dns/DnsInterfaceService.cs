using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Dns;

/// <summary>
/// Runs the DNS interface: the library's <see cref="DnsServer"/> over the agent's own UDP and TCP transports (their
/// limits), answering through <see cref="DnsResponder"/>. Off when <see cref="DnsInterfaceOptions.Port"/> is 0.
/// </summary>
internal sealed partial class DnsInterfaceService(DnsResponder responder, DnsAnswerCache cache, IOptions<DnsInterfaceOptions> options, TimeProvider time, ILogger<DnsInterfaceService> logger)
    : IHostedService, IDisposable
{
    // One UDP read loop per core (at least two): a single loop reading, checking and handing over every datagram is
    // the bottleneck under load.
    private static readonly int UdpReaders = Math.Max(2, Environment.ProcessorCount);

    private readonly DnsInterfaceOptions _options = options.Value;
    private DnsServer? _server;
    private long _refusedConnections;

    /// <summary>Where it listens (UDP and TCP); null while off.</summary>
    public IPEndPoint? EndPoint { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Port == 0)
            return Task.CompletedTask;
        var endPoint = new IPEndPoint(IPAddress.Parse(_options.BindAddress), _options.Port);
        var udp = UdpDnsTransport.Create(endPoint, new SemaphoreSlim(_options.MaxConcurrentQueries), UdpReaders, cache);
        var tcp = new TcpDnsTransport(endPoint, _options, time) { Refused = OnRefused };
        var server = new DnsServer([.. udp, tcp]);
        server.QueryReceived += OnQueryAsync;
        server.ExceptionThrown += OnExceptionAsync;
        try
        {
            server.Start();
        }
        catch (SocketException ex)
        {
            udp[0].Dispose();
            tcp.Dispose();
            var reason = ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? "the port is already in use" : ex.Message;
            if (_options.RequirePort)
                throw new InvalidOperationException($"cannot listen for DNS on {endPoint}: {reason} (choose another port with --dns-port, or turn DNS off with --dns-port 0)", ex);
            Log.NotListening(logger, endPoint.ToString(), reason);
            return Task.CompletedTask;
        }
        _server = server;
        EndPoint = endPoint;
        Log.Listening(logger, endPoint.ToString(), string.Join(", ", responder.Zone.Domains));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _server, null) is IDisposable server)
            server.Dispose();
    }

    private Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is DnsMessage query)
            e.Response = responder.Answer(query);
        return Task.CompletedTask; // anything else (an UPDATE) gets the library's SERVFAIL
    }

    private Task OnExceptionAsync(object sender, ExceptionEventArgs e)
    {
        // Mostly packets that do not parse (dropped without an answer); at debug level, so garbage cannot flood the log.
        Log.QueryFailed(logger, e.Exception.GetBaseException().Message);
        return Task.CompletedTask;
    }

    private void OnRefused()
    {
        // One warning at the first refusal, then one per thousand.
        if (Interlocked.Increment(ref _refusedConnections) % 1000 == 1)
            Log.TcpConnectionsFull(logger, _options.MaxTcpConnections, Interlocked.Read(ref _refusedConnections));
    }

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Information, "DNS interface answering on {EndPoint} (UDP and TCP) for {Domains}", EventName = "DnsListening")]
        public static partial void Listening(ILogger logger, string endPoint, string domains);

        [LoggerMessage(61, LogLevel.Warning, "DNS interface off: cannot listen on {EndPoint}: {Reason} (set --dns-port to another port, or 0 to silence this)", EventName = "DnsNotListening")]
        public static partial void NotListening(ILogger logger, string endPoint, string reason);

        [LoggerMessage(62, LogLevel.Debug, "DNS query dropped or failed: {Reason}", EventName = "DnsQueryFailed")]
        public static partial void QueryFailed(ILogger logger, string reason);

        [LoggerMessage(63, LogLevel.Warning, "DNS TCP connection closed at once: {Max} connections were open ({Refused} refused so far; Switchboard:Dns:MaxTcpConnections)", EventName = "DnsTcpConnectionsFull")]
        public static partial void TcpConnectionsFull(ILogger logger, int max, long refused);
    }
}

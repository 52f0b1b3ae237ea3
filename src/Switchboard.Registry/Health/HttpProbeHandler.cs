using System.Net.Sockets;

namespace Switchboard.Registry.Health;

/// <summary>
/// The one <see cref="SocketsHttpHandler"/> of the HTTP probes. Every probe gets its own connection, closed when the probe
/// ends (<c>Connection: close</c>, no per-server connection cap), so probes of many instances behind one host:port never
/// queue for a pooled connection, a hanging server holds a socket only until that probe's timeout, and the probes' sockets
/// are bounded by <see cref="Catalog.RegistryOptions.MaxConcurrentChecks"/> rather than by how many targets answer.
/// </summary>
internal static class HttpProbeHandler
{
    /// <summary>The request option carrying the probe's timeout to <see cref="ConnectAsync"/>.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> Timeout = new("Switchboard.ProbeTimeout");

    /// <summary>Backstop for the connect of a request that carries no timeout.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates the handler; connects are bounded by each probe's own timeout, measured on <paramref name="time"/>, and reach only addresses <paramref name="targets"/> allows.</summary>
    public static SocketsHttpHandler Create(TimeProvider time, CheckTargetPolicy targets) => new()
    {
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = ConnectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AllowAutoRedirect = false, // a redirect is the target's answer (critical), never a way to reach another address
        UseCookies = false,
        // A connect attempt outlives the request that started it (SocketsHttpHandler keeps it for the pool), so without
        // this a probe of a black-holed host would leave its connect running past the probe's timeout.
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, time, targets, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, TimeProvider time, CheckTargetPolicy targets, CancellationToken cancellationToken)
    {
        var limit = context.InitialRequestMessage.Options.TryGetValue(Timeout, out var t) ? t : ConnectTimeout;
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var addresses = await ProbeAddresses.ResolveAsync(context.DnsEndPoint.Host, targets, linked.Token).ConfigureAwait(false);
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, linked.Token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut); // reported by the probe as a connection error
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

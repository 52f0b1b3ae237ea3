using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Limits;

/// <summary>
/// Kestrel connection middleware: at most <see cref="LimitsOptions.MaxConnectionsPerClient"/> open connections per client
/// address. A connection past it is answered at once with a minimal <c>HTTP/1.1 429</c> naming the limit and closed,
/// before any request is read; the client's other connections are untouched.
/// </summary>
internal sealed partial class ClientConnectionLimit(IOptions<LimitsOptions> options, ILogger<ClientConnectionLimit> logger)
{
    /// <summary>How long a refused connection is kept to let the client send its request and read the 429 (a close with unread input would reset it).</summary>
    private static readonly TimeSpan RefusalLinger = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    // Read at each connection, not at construction: the listener is configured while the host is built, before the
    // options are validated at start (an invalid value must stop the agent with its one line, not a stack trace).
    private int Limit => options.Value.MaxConnectionsPerClient;

    /// <summary>Open connections of <paramref name="address"/> counted now.</summary>
    public int OpenConnections(IPAddress address) => _open.TryGetValue(address, out var n) ? n : 0;

    /// <summary>Runs the connection when its client is under the limit, else refuses it.</summary>
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var limit = Limit;
        if (limit == 0 || connection.RemoteEndPoint is not IPEndPoint remote)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }
        var address = ClientAddress.Of(remote.Address);
        if (_open.AddOrUpdate(address, 1, static (_, n) => n + 1) > limit)
        {
            Leave(address);
            await RefuseAsync(connection, address, limit).ConfigureAwait(false);
            return;
        }
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Leave(address);
        }
    }

    private void Leave(IPAddress address)
    {
        if (_open.AddOrUpdate(address, 0, static (_, n) => n - 1) == 0)
            _open.TryRemove(new KeyValuePair<IPAddress, int>(address, 0)); // only if no connection came in meanwhile
    }

    private async Task RefuseAsync(ConnectionContext connection, IPAddress address, int limit)
    {
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"too many connections from {address}: at most {limit} per client ({ServerLimits.Key(nameof(LimitsOptions.MaxConnectionsPerClient))})\n");
        LogRefused(logger, address, limit);
        var retryAfter = Math.Max(1, (long)Math.Ceiling(options.Value.RetryAfter.TotalSeconds));
        var response = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(reason)}\r\nRetry-After: {retryAfter}\r\nConnection: close\r\n\r\n{reason}"));
        using var linger = new CancellationTokenSource(RefusalLinger);
        try
        {
            await connection.Transport.Output.WriteAsync(response, linger.Token).ConfigureAwait(false);
            await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
            // Read (and drop) what the client sends until it closes or the linger ends, so the close does not reset the 429.
            while (true)
            {
                var read = await connection.Transport.Input.ReadAsync(linger.Token).ConfigureAwait(false);
                connection.Transport.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // the linger ended or the client went away: close either way
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Refused a connection from {Address}: it has {Limit} open, the per-client limit (Switchboard:Limits:MaxConnectionsPerClient)")]
    private static partial void LogRefused(ILogger logger, IPAddress address, int limit);
}

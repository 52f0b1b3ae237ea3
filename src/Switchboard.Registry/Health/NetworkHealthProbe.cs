using System.Net;
using System.Net.Sockets;
using System.Text;
using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Registry.Health;

/// <summary>The real probes: HTTP GET through one <see cref="SocketsHttpHandler"/>, and TCP connect, each bounded by its check's timeout.</summary>
/// <remarks>
/// <para>HTTP: 2xx passing, 429 warning, any other status, a redirect, a connection error or a timeout critical. Each HTTP
/// probe uses its own connection, closed when it ends, so probes never queue behind each other for a connection and hold
/// a socket only while they run.</para>
/// <para>What a probe tells: the body (at most 4 KiB) of a 2xx or 429 answer only; for any other answer the status line;
/// for a TCP probe passing or critical. A probe connects only to addresses <see cref="CheckTargetPolicy"/> allows, after
/// resolving names, and follows no redirect, so a check cannot be used to read or map other addresses.</para>
/// </remarks>
internal sealed class NetworkHealthProbe : IHealthProbe, IDisposable
{
    private const int MaxOutputBytes = 4096;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly CheckTargetPolicy _targets;

    /// <summary>Creates the probe with the default target policy (each instance's own host; no link-local address).</summary>
    public NetworkHealthProbe(TimeProvider timeProvider)
        : this(timeProvider, new CheckTargetPolicy(new CheckTargetOptions()))
    {
    }

    /// <summary>Creates the probe with the target policy in force.</summary>
    public NetworkHealthProbe(TimeProvider timeProvider, CheckTargetPolicy targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _time = timeProvider;
        _targets = targets;
        _http = new HttpClient(HttpProbeHandler.Create(timeProvider, targets)) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Switchboard-Health-Check/1.0");
    }

    /// <inheritdoc />
    public Task<(HealthStatus Status, string Output)> ProbeAsync(ServiceInstance instance, HealthCheckSpec check, CancellationToken cancellationToken)
        => check.Kind switch
        {
            HealthCheckKind.Http => ProbeHttpAsync(instance, check, cancellationToken),
            HealthCheckKind.Tcp => ProbeTcpAsync(instance, check, cancellationToken),
            _ => Task.FromResult((instance.Status, instance.Output)),
        };

    /// <summary>The URL an HTTP check requests.</summary>
    public static Uri HttpCheckUrl(ServiceInstance instance, HealthCheckSpec check)
    {
        var target = check.Http ?? "/";
        return target.StartsWith('/')
            ? new Uri(ServiceInstanceUrls.BaseUrl(instance.Protocol, instance.Host, instance.Port, "") + target)
            : new Uri(target);
    }

    private async Task<(HealthStatus, string)> ProbeHttpAsync(ServiceInstance instance, HealthCheckSpec check, CancellationToken cancellationToken)
    {
        var url = HttpCheckUrl(instance, check);
        using var timeout = new CancellationTokenSource(check.EffectiveTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.ConnectionClose = true;
            request.Options.Set(HttpProbeHandler.Timeout, check.EffectiveTimeout);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            var status = code is >= 200 and < 300 ? HealthStatus.Passing
                : response.StatusCode == HttpStatusCode.TooManyRequests ? HealthStatus.Warning
                : HealthStatus.Critical;
            if (status == HealthStatus.Critical)
                return (status, $"HTTP GET {url}: {code} {response.ReasonPhrase}"); // never the body of an answer that is not a health answer
            var body = await ReadLimitedAsync(response.Content, linked.Token).ConfigureAwait(false);
            var output = status == HealthStatus.Passing && body.Length > 0
                ? body
                : $"HTTP GET {url}: {code} {response.ReasonPhrase} Output: {body}";
            return (status, output);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (HealthStatus.Critical, $"HTTP GET {url}: timed out after {Json.Durations.Format(check.EffectiveTimeout)}");
        }
        catch (HttpRequestException ex) when (ex.InnerException is ProbeTargetRefusedException refused)
        {
            return (HealthStatus.Critical, $"HTTP GET {url}: {refused.Message}");
        }
        catch (HttpRequestException)
        {
            return (HealthStatus.Critical, $"HTTP GET {url}: no connection");
        }
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxOutputBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            read += n;
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private async Task<(HealthStatus, string)> ProbeTcpAsync(ServiceInstance instance, HealthCheckSpec check, CancellationToken cancellationToken)
    {
        var host = instance.Host;
        var port = instance.Port;
        if (!string.IsNullOrEmpty(check.Tcp))
            RegistrationValidator.TryParseHostPort(check.Tcp, out host, out port);
        using var timeout = new CancellationTokenSource(check.EffectiveTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            var addresses = await ProbeAddresses.ResolveAsync(host, _targets, linked.Token).ConfigureAwait(false);
            await socket.ConnectAsync(addresses, port, linked.Token).ConfigureAwait(false);
            return (HealthStatus.Passing, $"TCP connect {host}:{port}: passing");
        }
        catch (ProbeTargetRefusedException refused)
        {
            return (HealthStatus.Critical, $"TCP connect {host}:{port}: {refused.Message}");
        }
        catch (Exception ex) when (ex is SocketException || ex is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (HealthStatus.Critical, $"TCP connect {host}:{port}: critical"); // not the socket error: that would tell closed ports from filtered ones
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

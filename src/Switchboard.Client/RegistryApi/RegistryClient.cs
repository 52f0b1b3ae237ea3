using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.Internal;
using Switchboard.Json;
using Switchboard.Registration;

namespace Switchboard.Client.RegistryApi;

/// <summary>The HTTP implementation of <see cref="ISwitchboardRegistryClient"/>, failing over among <see cref="SwitchboardOptions.Registries"/>.</summary>
internal sealed partial class RegistryClient : ISwitchboardRegistryClient
{
    /// <summary>The name of the <see cref="HttpClient"/> the client uses.</summary>
    public const string HttpClientName = "Switchboard.Registry";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<RegistryClient> _logger;
    private readonly ClientInstruments _instruments;
    private readonly Uri[] _registries;
    private readonly DiscoveryTimes _times;
    private int _current = -1;

    public RegistryClient(IHttpClientFactory httpClientFactory, IOptions<SwitchboardOptions> options, TimeProvider time, ClientInstruments instruments, ILogger<RegistryClient> logger)
    {
        _httpClientFactory = httpClientFactory;
        _time = time;
        _logger = logger;
        _instruments = instruments;
        var o = options.Value;
        _registries = [.. o.Registries.Select(r => new Uri(r.EndsWith('/') ? r : r + "/", UriKind.Absolute))];
        _times = new DiscoveryTimes(o.Discovery.RequestTimeout, o.Discovery.WatchWait);
    }

    public Uri? CurrentRegistry => _current < 0 ? null : _registries[_current];

    public Task<RegisterResponse> RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return SendAsync("register", _times.Request, async (client, baseUri, ct) =>
        {
            using var response = await client.PostAsJsonAsync(new Uri(baseUri, Relative(RegistryRoutes.Register)), registration, SwitchboardJsonContext.Default.ServiceRegistration, ct);
            await EnsureSuccessAsync(response, _time, ct);
            return await ReadAsync(response, SwitchboardJsonContext.Default.RegisterResponse, ct);
        }, cancellationToken);
    }

    public Task<HeartbeatResponse?> HeartbeatAsync(string instanceId, HeartbeatRequest? report = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return SendAsync("heartbeat", _times.Request, async (client, baseUri, ct) =>
        {
            var uri = new Uri(baseUri, Relative(RegistryRoutes.Heartbeat(instanceId)));
            using var request = new HttpRequestMessage(HttpMethod.Put, uri);
            if (report is not null)
                request.Content = JsonContent.Create(report, SwitchboardJsonContext.Default.HeartbeatRequest);
            using var response = await client.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return null;
            await EnsureSuccessAsync(response, _time, ct);
            return await ReadAsync(response, SwitchboardJsonContext.Default.HeartbeatResponse, ct);
        }, cancellationToken);
    }

    public Task<bool> DeregisterAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return SendAsync("deregister", _times.Request, async (client, baseUri, ct) =>
        {
            using var response = await client.DeleteAsync(new Uri(baseUri, Relative(RegistryRoutes.Instance(instanceId))), ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return false;
            await EnsureSuccessAsync(response, _time, ct);
            return true;
        }, cancellationToken);
    }

    public Task<InstancesResult> GetInstancesAsync(string serviceName, long? index = null, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        var w = wait ?? _times.Wait;
        var query = index is { } i
            ? string.Create(CultureInfo.InvariantCulture, $"?index={i}&wait={Durations.Format(w)}")
            : "";
        var timeout = index is null ? _times.Request : _times.Request + w + w / 16;
        return SendAsync("list instances", timeout, async (client, baseUri, ct) =>
        {
            using var response = await client.GetAsync(new Uri(baseUri, Relative(RegistryRoutes.Instances(serviceName)) + query), HttpCompletionOption.ResponseContentRead, ct);
            await EnsureSuccessAsync(response, _time, ct);
            if (!response.Headers.TryGetValues(RegistryRoutes.IndexHeader, out var values)
                || !long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var newIndex))
            {
                throw new InvalidRegistryResponseException($"the answer has no valid {RegistryRoutes.IndexHeader} header");
            }
            var instances = await ReadAsync(response, SwitchboardJsonContext.Default.ServiceInstanceArray, ct);
            return new InstancesResult(instances, newIndex, baseUri);
        }, cancellationToken);
    }

    private async Task<T> SendAsync<T>(string operation, TimeSpan timeout, Func<HttpClient, Uri, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (_registries.Length == 0)
            throw new RegistryUnavailableException($"Cannot {operation}: no registry is configured ({SwitchboardOptions.SectionName}:Registries is empty).");

        var client = _httpClientFactory.CreateClient(HttpClientName);
        var start = Math.Max(0, Volatile.Read(ref _current));
        List<string>? failures = null;
        Exception? last = null;
        TimeSpan? retryAfter = null;
        for (var i = 0; i < _registries.Length; i++)
        {
            var idx = (start + i) % _registries.Length;
            var baseUri = _registries[idx];
            using var timeoutCts = new CancellationTokenSource(timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
            try
            {
                var result = await attempt(client, baseUri, linked.Token);
                var previous = Interlocked.Exchange(ref _current, idx);
                if (previous >= 0 && previous != idx)
                {
                    _instruments.RegistryFailover(baseUri);
                    LogFailover(_logger, _registries[previous], baseUri);
                }
                return result;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransient(ex))
            {
                last = ex;
                if (ex is RegistryBusyException busy && (retryAfter is null || busy.RetryAfter > retryAfter))
                    retryAfter = busy.RetryAfter;
                var reason = ex is OperationCanceledException ? $"timed out after {timeout}" : TransportErrors.Describe(ex, baseUri);
                (failures ??= []).Add($"{baseUri}: {reason}");
            }
        }
        throw new RegistryUnavailableException($"Cannot {operation}: no registry answered ({string.Join("; ", failures!)}).", last) { Failures = failures!, RetryAfter = retryAfter };
    }

    private static bool IsTransient(Exception ex) =>
        ex is HttpRequestException or OperationCanceledException or InvalidRegistryResponseException or JsonException or IOException;

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, TimeProvider time, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var status = (int)response.StatusCode;
        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            var message = $"the registry answered {status} {response.ReasonPhrase}";
            if (Resilience.RetryAfter.Of(response, time) is { } retryAfter)
                throw new RegistryBusyException($"{message}, retry after {retryAfter.TotalSeconds:0.#} s", response.StatusCode, retryAfter);
            throw new HttpRequestException(message, null, response.StatusCode);
        }
        var body = await response.Content.ReadAsStringAsync(ct);
        if (body.Length > 2000)
            body = body[..2000];
        throw new RegistryRequestException($"The registry rejected the request with {status} {response.ReasonPhrase}: {body}")
        {
            StatusCode = response.StatusCode,
            ResponseBody = body,
        };
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, ct)
                ?? throw new InvalidRegistryResponseException("the answer was JSON null");
        }
        catch (JsonException ex)
        {
            throw new InvalidRegistryResponseException($"the answer is not the registry's JSON ({ex.Message})", ex);
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidRegistryResponseException($"the answer has content type '{response.Content.Headers.ContentType}', not JSON", ex);
        }
    }

    private static string Relative(string route) => route.TrimStart('/');

    private sealed record DiscoveryTimes(TimeSpan Request, TimeSpan Wait);
}

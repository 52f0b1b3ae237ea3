using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registration;

namespace Switchboard.Cli.Commands;

/// <summary>The CLI's calls to the native registry API; every failure becomes a one-line <see cref="CliException"/>.</summary>
internal sealed partial class RegistryApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _registry;

    public RegistryApiClient(Uri registry, TimeSpan timeout, HttpMessageHandler handler)
    {
        _registry = registry;
        _http = new HttpClient(handler) { BaseAddress = registry, Timeout = timeout };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Task<ServiceList> ServicesAsync(bool healthy, string? tag, CancellationToken ct)
        => GetAsync(tag is not null ? $"{RegistryRoutes.Services}/by-tag/{Uri.EscapeDataString(tag)}" : healthy ? RegistryRoutes.HealthyServices : RegistryRoutes.Services,
            SwitchboardJsonContext.Default.ServiceList, ct);

    public async Task<(ServiceInstance[] Instances, long Index)> InstancesAsync(string service, string query, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, RegistryRoutes.Instances(service) + query), ct);
        var instances = await ReadAsync(response, SwitchboardJsonContext.Default.ServiceInstanceArray, ct);
        var index = response.Headers.TryGetValues(RegistryRoutes.IndexHeader, out var values) && long.TryParse(values.FirstOrDefault(), out var i) ? i : 0;
        return (instances, index);
    }

    public Task<DiscoverResponse> DiscoverAsync(string service, CancellationToken ct)
        => GetAsync(RegistryRoutes.Discover(service), SwitchboardJsonContext.Default.DiscoverResponse, ct);

    public Task<AggregatedHealth> HealthAsync(CancellationToken ct)
        => GetAsync(RegistryRoutes.AggregatedHealth, SwitchboardJsonContext.Default.AggregatedHealth, ct);

    public async Task<RegisterResponse> RegisterAsync(ServiceRegistration registration, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(registration, SwitchboardJsonContext.Default.ServiceRegistration);
        using var request = new HttpRequestMessage(HttpMethod.Post, RegistryRoutes.Register) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await SendAsync(request, ct);
        return await ReadAsync(response, SwitchboardJsonContext.Default.RegisterResponse, ct);
    }

    public async Task DeregisterAsync(string instanceId, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, RegistryRoutes.Instance(instanceId)), ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            throw new CliException($"no instance '{instanceId}' is registered: nothing to deregister (see 'switchboard instances SERVICE')");
        await EnsureSuccessAsync(response, ct);
    }

    public async Task<HeartbeatResponse> HeartbeatAsync(string instanceId, string? status, string? output, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new HeartbeatRequest(status, output), SwitchboardJsonContext.Default.HeartbeatRequest);
        using var request = new HttpRequestMessage(HttpMethod.Put, RegistryRoutes.Heartbeat(instanceId)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await SendAsync(request, ct);
        return await ReadAsync(response, SwitchboardJsonContext.Default.HeartbeatResponse, ct);
    }

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);
        return await ReadAsync(response, type, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            try
            {
                return await _http.SendAsync(request, ct);
            }
            catch (HttpRequestException ex)
            {
                throw new CliException(RegistryConnection.TlsFailure(ex, _registry) ?? $"cannot reach the registry at {_registry}: {ex.Message}");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new CliException($"the registry at {_registry} did not answer within {_http.Timeout.TotalSeconds:0} s");
            }
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken ct)
    {
        await EnsureSuccessAsync(response, ct);
        try
        {
            return await response.Content.ReadFromJsonAsyncSafe(type, ct)
                ?? throw new CliException("the registry answered with an empty body");
        }
        catch (JsonException)
        {
            throw new CliException("the registry answered with JSON this CLI does not understand (is --registry pointing at a Switchboard agent?)");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var text = await response.Content.ReadAsStringAsync(ct);
        var detail = text;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("detail", out var d))
                detail = d.GetString() ?? text;
        }
        catch (JsonException)
        {
            // not ProblemDetails: show the raw text
        }
        var code = (int)response.StatusCode;
        throw new CliException(response.StatusCode switch
        {
            HttpStatusCode.NotFound => $"not found: {detail}",
            HttpStatusCode.BadRequest => $"rejected: {detail}",
            HttpStatusCode.Forbidden => detail, // the ACL's words: Permission denied naming the permission, ACL not found
            HttpStatusCode.Unauthorized => $"{detail} (start the agent with --acl)",
            HttpStatusCode.ServiceUnavailable when response.Headers.RetryAfter?.Delta is { } retry
                => $"the registry answered {code} {response.ReasonPhrase}: {detail} (retry in {retry.TotalSeconds:0} s)",
            _ => $"the registry answered {code} {response.ReasonPhrase}: {detail}",
        });
    }

    public void Dispose() => _http.Dispose();
}

internal static class HttpContentJson
{
    public static async Task<T?> ReadFromJsonAsyncSafe<T>(this HttpContent content, JsonTypeInfo<T> type, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        return await JsonSerializer.DeserializeAsync(stream, type, ct);
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>The native API calls a client makes, each recorded in the history with its outcome.</summary>
/// <param name="history">Where every call is recorded.</param>
/// <param name="http">The client's connection to the agents (no base address, no timeout of its own).</param>
/// <param name="client">The client's number in the history.</param>
/// <param name="timeout">How long a call may take before its outcome is unknown.</param>
public sealed class RegistryCalls(History history, HttpClient http, int client, TimeSpan timeout)
{
    /// <summary>The metadata key a register writes its version (its operation id) under.</summary>
    public const string VersionKey = "v";

    /// <summary>Registers (or re-registers) <paramref name="instanceId"/> with a new version.</summary>
    public async Task<Outcome> RegisterAsync(IAgentEndpoint node, string service, string instanceId)
    {
        var id = history.Invoke(new Operation { Client = client, Kind = OperationKind.Register, Node = node.Name, Service = service, InstanceId = instanceId });
        var body = $$$"""{"service_name":"{{{service}}}","instance_id":"{{{instanceId}}}","host":"127.0.0.1","port":{{{KeySpace.PortOf(instanceId)}}},"ttl":"1h","metadata":{"{{{VersionKey}}}":"{{{id}}}"}}""";
        return await CallAsync(id, () => new HttpRequestMessage(HttpMethod.Post, new Uri(node.BaseUri, "/service-discovery/register"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        }, timeout, async (response, _) =>
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var index = json.RootElement.GetProperty("index").GetInt64();
            return (index, null, response.StatusCode == HttpStatusCode.Created ? "created" : "replaced");
        });
    }

    /// <summary>Deregisters <paramref name="instanceId"/>.</summary>
    public Task<Outcome> DeregisterAsync(IAgentEndpoint node, string service, string instanceId)
    {
        var id = history.Invoke(new Operation { Client = client, Kind = OperationKind.Deregister, Node = node.Name, Service = service, InstanceId = instanceId });
        return CallAsync(id, () => new HttpRequestMessage(HttpMethod.Delete, new Uri(node.BaseUri, $"/service-discovery/instances/{instanceId}")), timeout, null);
    }

    /// <summary>Renews <paramref name="instanceId"/>'s lease.</summary>
    public Task<Outcome> HeartbeatAsync(IAgentEndpoint node, string service, string instanceId)
    {
        var id = history.Invoke(new Operation { Client = client, Kind = OperationKind.Heartbeat, Node = node.Name, Service = service, InstanceId = instanceId });
        return CallAsync(id, () => new HttpRequestMessage(HttpMethod.Put, new Uri(node.BaseUri, $"/service-discovery/instances/{instanceId}/heartbeat")), timeout, null);
    }

    /// <summary>Reads <paramref name="service"/>'s instances; a blocking query when <paramref name="afterIndex"/> is given.</summary>
    public async Task<(Outcome Outcome, long? Index)> ReadAsync(IAgentEndpoint node, string service, long? afterIndex = null, bool final = false)
    {
        var id = history.Invoke(new Operation { Client = client, Kind = OperationKind.Read, Node = node.Name, Service = service, Final = final });
        var query = afterIndex is { } index ? $"?index={index.ToString(CultureInfo.InvariantCulture)}&wait=1s" : "";
        long? seen = null;
        var outcome = await CallAsync(id, () => new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseUri, $"/service-discovery/services/{service}/instances{query}")),
            afterIndex is null ? timeout : timeout + TimeSpan.FromSeconds(1), async (response, cancellationToken) =>
            {
                var header = response.Headers.GetValues("X-Switchboard-Index").Single();
                seen = long.Parse(header, CultureInfo.InvariantCulture);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                return (seen, Versions(json.RootElement.EnumerateArray()), afterIndex is null ? null : "blocking");
            });
        return (outcome, seen);
    }

    /// <summary>Instance id to the version in its metadata (-1 when it has none: never written by a client).</summary>
    public static Dictionary<string, int> Versions(IEnumerable<JsonElement> instances)
        => instances.ToDictionary(i => i.GetProperty("instance_id").GetString()!, Version, StringComparer.Ordinal);

    /// <summary>The version in an instance's metadata, -1 when it has none.</summary>
    public static int Version(JsonElement instance)
        => instance.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty(VersionKey, out var v)
            && int.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var version) ? version : -1;

    /// <summary>The <c>detail</c> of a problem answer, or nothing.</summary>
    private static string Detail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private async Task<Outcome> CallAsync(int id, Func<HttpRequestMessage> request, TimeSpan limit,
        Func<HttpResponseMessage, CancellationToken, Task<(long? Index, IReadOnlyDictionary<string, int>? Observed, string? Detail)>>? read)
    {
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            using var message = request();
            // SocketsHttpHandler silently sends a request without content again on a new connection when the server closes
            // a kept-alive connection without answering (an agent killed after it applied the request but before it
            // answered). The second attempt is then refused, and "connection refused" would record as certainly not applied
            // a write that was applied. An empty body turns that retry off (the handler retries only requests it has
            // sent no content of), so a write is sent once and a refusal means it never reached the agent.
            if (message.Content is null && message.Method != HttpMethod.Get)
                message.Content = new ByteArrayContent([]);
            using var response = await http.SendAsync(message, deadline.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var (index, observed, detail) = read is null ? (null, null, null) : await read(response, deadline.Token);
                history.Complete(id, Outcome.Ok, index, observed, detail ?? status.ToString(CultureInfo.InvariantCulture));
                return Outcome.Ok;
            }
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            // A 503 is a refusal (not applied), except a write under way when Redis went away: "the change may not have been
            // saved" (docs/redis.md). Any other 5xx leaves the write's fate open.
            var outcome = status is >= 400 and < 500 || (status == 503 && !text.Contains("may not have been saved", StringComparison.Ordinal))
                ? Outcome.Failed : Outcome.Unknown;
            history.Complete(id, outcome, detail: $"{status.ToString(CultureInfo.InvariantCulture)} {Detail(text)}".TrimEnd());
            return outcome;
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            history.Complete(id, Outcome.Failed, detail: "connection refused");
            return Outcome.Failed;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or JsonException)
        {
            history.Complete(id, Outcome.Unknown, detail: ex.GetType().Name + ": " + ex.Message);
            return Outcome.Unknown;
        }
    }
}

using System.Text.Json;
using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>
/// One event-stream subscriber per service (<c>GET /service-discovery/events?service=</c>): every event is recorded with
/// its index; a cut-off (<c>event: error</c>) or a lost stream is recorded as a resynchronisation, then it subscribes again.
/// </summary>
/// <param name="history">Where the events are recorded.</param>
/// <param name="nodes">The agents; watcher i subscribes to node i modulo their number.</param>
/// <param name="keys">The services to watch.</param>
public sealed class Watchers(History history, IReadOnlyList<AgentNode> nodes, KeySpace keys)
{
    /// <summary>The client number of the first watcher in the history (watchers are numbered after the clients).</summary>
    public const int FirstClient = 100;

    /// <summary>Watches every service until <paramref name="stop"/>.</summary>
    public Task RunAsync(CancellationToken stop)
        => Task.WhenAll(keys.Services.Select((service, i) => Task.Run(() => WatchAsync(FirstClient + i, nodes[i % nodes.Count], service, stop), CancellationToken.None)));

    private async Task WatchAsync(int client, AgentNode node, string service, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        while (!stop.IsCancellationRequested)
        {
            string reason;
            try
            {
                reason = await ReadStreamAsync(http, client, node, service, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                reason = "stream lost: " + ex.Message;
            }
            history.Observe(new Operation { Client = client, Kind = OperationKind.WatchResync, Node = node.Name, Service = service, Outcome = Outcome.Ok, Detail = reason });
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads one subscription to its end; returns why it ended.</summary>
    private async Task<string> ReadStreamAsync(HttpClient http, int client, AgentNode node, string service, CancellationToken stop)
    {
        using var response = await http.GetAsync(new Uri(node.BaseUri, $"/service-discovery/events?service={service}"), HttpCompletionOption.ResponseHeadersRead, stop);
        if (!response.IsSuccessStatusCode)
            return $"refused: {(int)response.StatusCode}";
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
        string? type = null, data = null;
        while (await reader.ReadLineAsync(stop) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && type is not null)
            {
                if (type == "error")
                    return "told to resynchronise: " + data;
                Record(client, node, service, type, data!);
                type = data = null;
            }
        }
        return "stream ended";
    }

    private void Record(int client, AgentNode node, string service, string type, string data)
    {
        using var json = JsonDocument.Parse(data);
        var root = json.RootElement;
        IReadOnlyDictionary<string, int>? observed = null;
        if (root.TryGetProperty("instance", out var instance) && instance.ValueKind == JsonValueKind.Object)
            observed = new Dictionary<string, int> { [instance.GetProperty("instance_id").GetString()!] = RegistryCalls.Version(instance) };
        history.Observe(new Operation
        {
            Client = client,
            Kind = OperationKind.WatchEvent,
            Node = node.Name,
            Service = service, // an event of another service on this stream then fails the phantom-read check
            InstanceId = root.GetProperty("instance_id").GetString(),
            Outcome = Outcome.Ok,
            Index = root.GetProperty("index").GetInt64(),
            Observed = observed,
            Detail = type,
        });
    }
}

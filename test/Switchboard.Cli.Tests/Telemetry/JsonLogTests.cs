using System.Text;
using System.Text.Json;

namespace Switchboard.Cli.Tests.Telemetry;

/// <summary><c>switchboard agent --log-format json</c>: every log line is one JSON object, and the events a request caused carry its trace id and request id.</summary>
public sealed class JsonLogTests
{
    [Fact(Timeout = 60_000)]
    public async Task JsonLines_Parse_AndCarryTheRequestIdsOfTheCallThatCausedThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await AgentProcess.StartAsync(["--dev", "--log-format", "json"], new AgentProcess.Options { WriteOutputOnDispose = true });
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/service-discovery/register")
        {
            Content = new StringContent("""{"service_name":"logged","instance_id":"logged-1","host":"127.0.0.1","port":8080}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        using var response = await agent.Client.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();

        // The audit event of the write is written before its answer goes out.
        var events = await Eventually.UntilAsync(() => Task.FromResult(JsonLines(agent)),
            lines => lines.Any(e => e.GetProperty("Category").GetString() == "Switchboard.Audit"), "the write's audit event");

        var audit = events.First(e => e.GetProperty("Category").GetString() == "Switchboard.Audit");
        var scopes = Scopes(audit);
        Assert.Equal(traceId, scopes.GetValueOrDefault("TraceId"));
        Assert.False(string.IsNullOrEmpty(scopes.GetValueOrDefault("RequestId")), audit.ToString());
        Assert.Equal("/service-discovery/register", scopes.GetValueOrDefault("RequestPath"));
        Assert.Contains("logged-1", audit.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Every line of the agent's output that is a log event; the plain lines it prints on stdout (where it listens) are not.</summary>
    private static List<JsonElement> JsonLines(ServiceProcess agent)
    {
        var events = new List<JsonElement>();
        foreach (var line in agent.Lines)
        {
            if (line.StartsWith("switchboard agent listening on ", StringComparison.Ordinal))
                continue;
            using var document = JsonDocument.Parse(line); // a line that is not one JSON object fails the test here
            events.Add(document.RootElement.Clone());
        }
        return events;
    }

    private static Dictionary<string, string?> Scopes(JsonElement logEvent)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var scope in logEvent.GetProperty("Scopes").EnumerateArray())
        {
            if (scope.ValueKind != JsonValueKind.Object)
                continue;
            foreach (var property in scope.EnumerateObject())
                values[property.Name] = property.Value.ToString();
        }
        return values;
    }
}

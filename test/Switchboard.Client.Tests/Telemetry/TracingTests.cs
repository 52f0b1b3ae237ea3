using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchboard.Client.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Telemetry;

/// <summary>
/// One call through the SDK against the real agent, both exporting over OTLP/HTTP to a receiver the test hosts: the
/// SDK's call span, its two attempt spans on two different instances (the first answered 503, the retry succeeded) and
/// the agent's span of the discovery lookup all share one trace id.
/// </summary>
public sealed class TracingTests
{
    [Fact(Timeout = 60_000)]
    public async Task RetriedCall_AgentAndSdkSpans_ShareOneTrace_WithAnAttemptSpanPerInstance()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseUri.ToString().TrimEnd('/'),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["Logging__LogLevel__Default"] = "Warning",
            },
            WriteOutputOnDispose = true,
        });
        var requests = 0; // the first request to either instance fails, so the call is retried on the other one
        await using var first = await StartInstanceAsync(() => Interlocked.Increment(ref requests));
        await using var second = await StartInstanceAsync(() => Interlocked.Increment(ref requests));
        await RegisterAsync(agent.Client, "traced-1", first.BaseUri.Port, ct);
        await RegisterAsync(agent.Client, "traced-2", second.BaseUri.Port, ct);

        using var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService("sdk-caller"))
            .AddSource(ServiceClient.ActivitySource.Name)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(receiver.BaseUri, "/v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();
        await using var client = ClientServices.Build(new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = agent.BaseUri.ToString(),
            ["Switchboard:Defaults:RetryBaseDelay"] = "00:00:00.001",
            ["Switchboard:Defaults:RetryMaxDelay"] = "00:00:00.005",
        });

        var result = await client.GetRequiredService<IServiceClient>().GetAsync<string>("traced", "/work", cancellationToken: ct);

        Assert.True(result.Success, result.Error);
        Assert.Equal(2, result.Attempts);
        tracing.ForceFlush();
        var call = await Eventually(receiver, spans => spans.FirstOrDefault(s => s.Service == "sdk-caller" && s.Name == "GET traced"), "the SDK's call span");
        var attempts = await Eventually(receiver, spans => Attempts(spans, call) is { Count: 2 } two ? two : null, "two attempt spans under the call");
        Assert.Equal(["1", "2"], attempts.Select(a => a.Attributes["switchboard.attempt"]));
        Assert.Equal(["failure", "success"], attempts.Select(a => a.Attributes["switchboard.outcome"]));
        Assert.Equal(["traced-1", "traced-2"], attempts.Select(a => a.Attributes["switchboard.instance.id"]).Order());
        Assert.All(attempts, a => Assert.Equal("closed", a.Attributes["switchboard.breaker.state"]));
        var lookup = await Eventually(receiver, spans => spans.FirstOrDefault(s => s.Service == "switchboard-agent" && s.TraceId == call.TraceId),
            "the agent's span of the discovery lookup, in the call's trace");
        Assert.StartsWith("GET", lookup.Name, StringComparison.Ordinal);
    }

    private static List<ReceivedSpan> Attempts(IReadOnlyList<ReceivedSpan> spans, ReceivedSpan call)
        => [.. spans.Where(s => s.ParentSpanId == call.SpanId && s.TraceId == call.TraceId && s.Name == "attempt traced").OrderBy(s => s.Attributes["switchboard.attempt"], StringComparer.Ordinal)];

    private static async Task<T> Eventually<T>(OtlpReceiver receiver, Func<IReadOnlyList<ReceivedSpan>, T?> find, string what) where T : class
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (find(receiver.Spans) is { } found)
                return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; received: {string.Join(", ", receiver.Spans.Select(s => $"{s.Service}/{s.Name}"))}");
    }

    private static Task<TestServer> StartInstanceAsync(Func<int> count) =>
        TestServer.StartAsync(app => app.MapGet("/work", () => count() == 1 ? Results.StatusCode(503) : Results.Text("\"done\"", "application/json")));

    private static async Task RegisterAsync(HttpClient agent, string id, int port, CancellationToken ct)
    {
        var body = $$$"""{"service_name":"traced","instance_id":"{{{id}}}","host":"127.0.0.1","port":{{{port}}},"ttl":"10m"}""";
        using var response = await agent.PostAsync("/service-discovery/register", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Client.Tests.Telemetry;

/// <summary>An OTLP/HTTP receiver on loopback (real Kestrel): keeps every span posted to <c>/v1/traces</c>, accepts and drops metrics and logs.</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private TestServer _server = null!;

    /// <summary>The base address exporters are pointed at (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public Uri BaseUri => _server.BaseUri;

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._server = await TestServer.StartAsync(app =>
        {
            app.MapPost("/v1/traces", async (HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                foreach (var span in OtlpSpans.Read(body.ToArray()))
                    receiver._spans.Enqueue(span);
                return Results.Bytes([], "application/x-protobuf");
            });
            app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));
        });
        return receiver;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

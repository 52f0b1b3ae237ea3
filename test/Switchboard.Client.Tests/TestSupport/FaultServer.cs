using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Instances;

namespace Switchboard.Client.Tests.TestSupport;

/// <summary>How a <see cref="FaultServer"/> answers.</summary>
internal enum Fault
{
    None,
    Fail,
    Slow,
    Drop,
    Unavailable,
    Garbage,
}

/// <summary>A Kestrel instance with a fault switch: ok, 500, slow, dropped connection, 503 with Retry-After, or a non-JSON body.</summary>
internal sealed class FaultServer : IAsyncDisposable
{
    private readonly TestServer _server;

    private FaultServer(TestServer server) => _server = server;

    public Fault Mode { get; set; }

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);

    public int RetryAfterSeconds { get; set; } = 1;

    public string Version { get; set; } = "";

    public int Requests;

    public ConcurrentQueue<(string Method, string? RequestId, string? Caller)> Seen { get; } = new();

    public ConcurrentQueue<string?> TraceParents { get; } = new();

    public ConcurrentQueue<string> AcceptEncodings { get; } = new();

    public int Port => _server.BaseUri.Port;

    public static async Task<FaultServer> StartAsync()
    {
        FaultServer? self = null;
        var server = await TestServer.StartAsync(app => app.Map("/{**path}", (HttpContext c) => self!.HandleAsync(c)));
        self = new FaultServer(server);
        return self;
    }

    public ServiceInstance Instance(string service) => new()
    {
        InstanceId = $"{service}-{Port}",
        ServiceName = service,
        Host = "127.0.0.1",
        Port = Port,
        Version = Version,
    };

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref Requests);
        TraceParents.Enqueue(context.Request.Headers["traceparent"].FirstOrDefault());
        AcceptEncodings.Enqueue(context.Request.Headers.AcceptEncoding.ToString());
        Seen.Enqueue((context.Request.Method, context.Request.Headers["X-Request-ID"].FirstOrDefault(), context.Request.Headers["X-Service-Name"].FirstOrDefault()));
        switch (Mode)
        {
            case Fault.Fail:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("{\"title\":\"boom\"}");
                return;
            case Fault.Slow:
                await Task.Delay(SlowDelay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
            case Fault.Drop:
                context.Abort();
                return;
            case Fault.Unavailable:
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return;
            case Fault.Garbage:
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html>maintenance</html>");
                return;
        }
        var answer = new Answer(Port, context.Request.Path + context.Request.QueryString, context.Request.Method);
        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentType = "application/json";
            await using var gzip = new System.IO.Compression.GZipStream(context.Response.Body, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true);
            await System.Text.Json.JsonSerializer.SerializeAsync(gzip, answer, System.Text.Json.JsonSerializerOptions.Web);
            return;
        }
        await context.Response.WriteAsJsonAsync(answer);
    }
}

public sealed record Answer(int Port, string Path, string Method);

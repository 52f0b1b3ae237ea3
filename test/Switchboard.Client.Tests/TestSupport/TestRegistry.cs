using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;

namespace Switchboard.Client.Tests.TestSupport;

/// <summary>
/// The real registry (<c>AddSwitchboardRegistry()</c> + <c>MapSwitchboardApi()</c>, in-memory store) on Kestrel at
/// 127.0.0.1, as <c>switchboard agent --dev</c> runs it, in the test process so tests can seed its catalog directly,
/// count the calls clients make, stop it, restart it empty on the same port, or make it answer garbage.
/// </summary>
internal sealed class TestRegistry : IAsyncDisposable
{
    private TestServer? _server;

    public Uri BaseUri { get; private set; } = null!;

    public int Port => BaseUri.Port;

    /// <summary>When true every route answers 200 with an HTML page (a misconfigured proxy in front of the registry).</summary>
    public bool Garbage { get; set; }

    /// <summary>When set, every request is answered 429 with this <c>Retry-After</c> (a registry at its write limit).</summary>
    public TimeSpan? Busy { get; set; }

    public int Registers;
    public int Heartbeats;
    public int Deregisters;

    private ServiceCatalog Catalog => (_server ?? throw new InvalidOperationException("The registry is stopped.")).Services.GetRequiredService<ServiceCatalog>();

    public IReadOnlyCollection<ServiceInstance> Instances =>
        [.. Catalog.ListServices().Services.SelectMany(s => Catalog.GetService(s.ServiceName)?.Instances ?? [])];

    public static async Task<TestRegistry> StartAsync(int port = 0)
    {
        var registry = new TestRegistry();
        await registry.StartServerAsync(port);
        return registry;
    }

    /// <summary>Stops the server (connections refused) without forgetting the port.</summary>
    public async Task StopAsync()
    {
        if (_server is null)
            return;
        await _server.DisposeAsync();
        _server = null;
    }

    /// <summary>Starts again on the same port with an empty catalog, as <c>agent --dev</c> does after a restart.</summary>
    public async Task RestartEmptyAsync()
    {
        await StopAsync();
        await StartServerAsync(Port);
    }

    /// <summary>Registers (or replaces) an instance in the catalog, as its own registration would; returns the index.</summary>
    public long Upsert(ServiceInstance instance) => Catalog.RegisterAsync(instance).GetAwaiter().GetResult().Index;

    public bool Remove(string instanceId) => Catalog.DeregisterAsync(instanceId).GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task StartServerAsync(int port)
    {
        var server = await TestServer.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                if (Garbage)
                {
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync("<html><body>502 Bad Gateway (proxy)</body></html>");
                    return;
                }
                Count(context.Request);
                if (Busy is { } busy)
                {
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    context.Response.Headers.RetryAfter = ((int)busy.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return;
                }
                await next(context);
            });
            app.MapSwitchboardApi();
        }, builder => builder.Services.AddSwitchboardRegistry().UseInMemoryStore(), port);
        _server = server;
        BaseUri = server.BaseUri;
    }

    private void Count(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsPost(request.Method) && path == RegistryRoutes.Register)
            Interlocked.Increment(ref Registers);
        else if (HttpMethods.IsPut(request.Method) && path.EndsWith("/heartbeat", StringComparison.Ordinal))
            Interlocked.Increment(ref Heartbeats);
        else if (HttpMethods.IsDelete(request.Method) && path.StartsWith(RegistryRoutes.Prefix + "/instances/", StringComparison.Ordinal))
            Interlocked.Increment(ref Deregisters);
    }
}

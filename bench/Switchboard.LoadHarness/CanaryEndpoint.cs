using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.LoadHarness;

/// <summary>An in-process Kestrel <c>GET /health</c> on 127.0.0.1 that counts its probes and answers 200, or 500 once <see cref="Failing"/>.</summary>
internal sealed class CanaryEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _probes;
    private volatile bool _failing;

    private CanaryEndpoint(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public int Probes => Volatile.Read(ref _probes);

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public static async Task<CanaryEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var canary = new CanaryEndpoint(app);
        app.MapGet("/health", () =>
        {
            Interlocked.Increment(ref canary._probes);
            return canary._failing ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        canary.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return canary;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Server.Tests;

/// <summary>A real Kestrel service to health-check: /ok, /busy (429), /fail (500), /hang (never answers).</summary>
internal sealed class TargetServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TargetServer(WebApplication app)
    {
        _app = app;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Uri Address { get; }

    public static async Task<TargetServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/ok", () => Results.Text("""{"status":"healthy","uptime":42}""", "application/json"));
        app.MapGet("/busy", () => Results.StatusCode((int)HttpStatusCode.TooManyRequests));
        app.MapGet("/fail", () => Results.Problem("database down"));
        app.MapGet("/hang", async (HttpContext ctx) => await Task.Delay(Timeout.Infinite, ctx.RequestAborted));
        await app.StartAsync();
        return new TargetServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

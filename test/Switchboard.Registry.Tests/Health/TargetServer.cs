using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Registry.Tests.Health;

/// <summary>A real Kestrel service to health-check: /ok, /busy (429), /fail (500), /redirect (302 to /ok), /hang (never answers).</summary>
internal static class TargetServer
{
    public static Task<TestServer> StartAsync() => TestServer.StartAsync(app =>
    {
        app.MapGet("/ok", () => Results.Text("""{"status":"healthy","uptime":42}""", "application/json"));
        app.MapGet("/busy", () => Results.StatusCode((int)HttpStatusCode.TooManyRequests));
        app.MapGet("/fail", () => Results.Problem("database down"));
        app.MapGet("/redirect", () => Results.Redirect("/ok"));
        app.MapGet("/hang", async (HttpContext ctx) => await Task.Delay(Timeout.Infinite, ctx.RequestAborted));
    });
}

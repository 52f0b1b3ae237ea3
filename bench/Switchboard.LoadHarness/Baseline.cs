using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchboard.LoadHarness;

/// <summary>The machine's limit for a payload: bare Kestrel returning fixed bytes, in its own process like the agent.</summary>
internal static class Baseline
{
    /// <summary>A backend instance for the client-call runs: <c>GET /ping</c> answers a small JSON body; so does a heartbeat's <c>PUT</c> (the Redis section's floor).</summary>
    public static async Task<int> RunBackendAsync()
    {
        var app = CreateApp();
        var body = "{\"ok\":true}"u8.ToArray();
        app.MapGet("/ping", () => Results.Bytes(body, "application/json"));
        app.MapGet("/health", () => Results.Bytes(body, "application/json"));
        app.MapPut("/service-discovery/instances/{id}/heartbeat", (string id) => Results.Bytes(body, "application/json")); // the floor of an HTTP heartbeat
        return await ServeAsync(app, "backend");
    }

    /// <summary>Serves each file's bytes as JSON at <c>/{file name without extension}</c> (<c>instances.json</c> at <c>/instances</c>).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> files)
    {
        var app = CreateApp();
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            app.MapGet("/" + Path.GetFileNameWithoutExtension(file), () => Results.Bytes(bytes, "application/json"));
        }
        return await ServeAsync(app, "baseline");
    }

    /// <summary>A bare Kestrel app on a free loopback port, without logging or the Server header.</summary>
    public static WebApplication CreateApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder.Build();
    }

    /// <summary>Starts <paramref name="app"/>, prints "<paramref name="what"/> listening on URL" (what the harness waits for) and serves until stopped.</summary>
    public static async Task<int> ServeAsync(WebApplication app, string what)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"{what} listening on {address}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}

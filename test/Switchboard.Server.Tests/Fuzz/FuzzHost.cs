using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Tests.Fuzz;

/// <summary>
/// The whole registry app (routing, both APIs, the engine) served in memory, so millions of requests cost no sockets.
/// Time is fake and never advanced: no health probe ever runs, so a fuzzed check address is never contacted.
/// </summary>
internal sealed class FuzzHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FuzzHost(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
        Client.Timeout = TimeSpan.FromSeconds(30); // a request that hangs fails its input quickly, with the seed
    }

    public HttpClient Client { get; }

    public ServiceCatalog Catalog => _app.Services.GetRequiredService<ServiceCatalog>();

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the app; with <paramref name="acl"/>, ACLs are on with default deny.</summary>
    public static async Task<FuzzHost> StartAsync(bool acl = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (acl)
        {
            builder.Configuration["Switchboard:Acl:Enabled"] = "true";
            builder.Configuration["Switchboard:Acl:DefaultPolicy"] = "deny";
        }
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        builder.Services.AddSwitchboardRegistry().UseInMemoryStore();
        var app = builder.Build();
        app.MapSwitchboardApi();
        await app.StartAsync();
        return new FuzzHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Tests;

/// <summary>The registry on real Kestrel at 127.0.0.1:&lt;free port&gt;, in-memory store, on fake time.</summary>
internal sealed class RegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RegistryServer(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public ServiceCatalog Catalog => _app.Services.GetRequiredService<ServiceCatalog>();

    public IServiceProvider Services => _app.Services;

    public static async Task<RegistryServer> StartAsync(FakeTimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSwitchboardRegistry().UseInMemoryStore();
        var app = builder.Build();
        app.MapSwitchboardApi();
        await app.StartAsync();
        return new RegistryServer(app, time);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

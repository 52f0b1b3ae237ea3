using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Tests;

/// <summary>The registry on real Kestrel at 127.0.0.1:&lt;free port&gt;, in-memory store, on fake time.</summary>
internal sealed class RegistryServer : IAsyncDisposable
{
    private readonly TestServer _server;

    private RegistryServer(TestServer server, FakeTimeProvider time)
    {
        _server = server;
        Time = time;
        Client = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public ServiceCatalog Catalog => _server.Services.GetRequiredService<ServiceCatalog>();

    public IServiceProvider Services => _server.Services;

    /// <param name="timeProvider">The clock (a new fake one at 2026-01-01 by default).</param>
    /// <param name="store">The catalog's store (in memory by default).</param>
    /// <param name="settings">Configuration entries (<c>Switchboard:Acl:Enabled</c> = <c>true</c>, ...).</param>
    public static async Task<RegistryServer> StartAsync(FakeTimeProvider? timeProvider = null, Registry.Storage.IRegistryStore? store = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var time = timeProvider ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var server = await TestServer.StartAsync(app => app.MapSwitchboardApi(), builder =>
        {
            if (settings is not null)
                builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.AddSwitchboardRegistry().UseInMemoryStore();
            if (store is not null)
                builder.Services.AddSingleton(store); // the last registration wins
        });
        return new RegistryServer(server, time);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}

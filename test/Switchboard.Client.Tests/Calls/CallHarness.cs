using Switchboard.Client.Calls;
using Switchboard.Client.Resilience;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Calls;

/// <summary>A registry, fault servers registered in it as one service, and a client configured for tests.</summary>
internal sealed class CallHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private CallHarness(TestRegistry registry, FaultServer[] servers, ServiceProvider provider)
    {
        Registry = registry;
        Servers = servers;
        _provider = provider;
    }

    public TestRegistry Registry { get; }

    public FaultServer[] Servers { get; }

    public IServiceClient Client => _provider.GetRequiredService<IServiceClient>();

    public ICircuitBreakerMonitor Breakers => _provider.GetRequiredService<ICircuitBreakerMonitor>();

    public IServiceProvider Services => _provider;

    public static async Task<CallHarness> StartAsync(int instances, Dictionary<string, string?>? config = null, TimeProvider? time = null, Action<ISwitchboardBuilder>? configure = null)
    {
        var registry = await TestRegistry.StartAsync();
        var servers = new FaultServer[instances];
        for (var i = 0; i < instances; i++)
        {
            servers[i] = await FaultServer.StartAsync();
            registry.Upsert(servers[i].Instance("user-service"));
        }
        var settings = new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = registry.BaseUri.ToString(),
            ["Switchboard:ServiceName"] = "gravity-optimizer",
            ["Switchboard:Defaults:RetryBaseDelay"] = "00:00:00.001",
            ["Switchboard:Defaults:RetryMaxDelay"] = "00:00:00.005",
        };
        foreach (var (k, v) in config ?? [])
            settings[k] = v;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        if (time is not null)
            services.AddSingleton(time);
        var builder = services.AddSwitchboard();
        configure?.Invoke(builder);
        return new CallHarness(registry, servers, services.BuildServiceProvider());
    }

    /// <summary>The first two servers in the catalog's order (by instance id), the order <c>FirstAvailable</c> tries them in.</summary>
    public (FaultServer First, FaultServer Second) InCatalogOrder()
    {
        var ordered = Servers.OrderBy(s => $"user-service-{s.Port}", StringComparer.Ordinal).ToArray();
        return (ordered[0], ordered[1]);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        foreach (var s in Servers)
            await s.DisposeAsync();
        await Registry.DisposeAsync();
    }
}

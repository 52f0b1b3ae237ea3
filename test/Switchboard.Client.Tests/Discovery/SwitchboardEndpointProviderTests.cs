using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Discovery;

public sealed class SwitchboardEndpointProviderTests
{
    /// <summary>MESD's <c>AddServiceDiscovery()</c> with the Switchboard endpoint provider, and an HttpClient "users" using it.</summary>
    private static ServiceProvider ServiceDiscoveryOnSwitchboard(TestRegistry registry)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = registry.BaseUri.ToString(),
        }).Build());
        services.AddLogging();
        services.AddServiceDiscovery().AddSwitchboardEndpointProvider();
        services.AddHttpClient("users").AddServiceDiscovery();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddServiceDiscovery_WithSwitchboardProvider_ReachesKestrelByServiceName()
    {
        await using var echo = await EchoServer.StartAsync();
        await using var registry = await TestRegistry.StartAsync();
        registry.Upsert(EchoServer.Instance("user-service", echo));
        await using var provider = ServiceDiscoveryOnSwitchboard(registry);
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("users");

        var answer = await http.GetStringAsync(new Uri("http://user-service/users/1"), TestContext.Current.CancellationToken);

        Assert.Equal($"{echo.BaseUri.Port}:/users/1", answer);
    }

    [Fact]
    public async Task AddServiceDiscovery_InstanceMoves_ChangeTokenRefreshesEndpoint()
    {
        await using var first = await EchoServer.StartAsync();
        await using var second = await EchoServer.StartAsync();
        await using var registry = await TestRegistry.StartAsync();
        registry.Upsert(EchoServer.Instance("user-service", first));
        await using var provider = ServiceDiscoveryOnSwitchboard(registry);
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("users");
        Assert.StartsWith($"{first.BaseUri.Port}:", await http.GetStringAsync(new Uri("http://user-service/"), TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var token = provider.GetRequiredService<Switchboard.Client.Discovery.IServiceDiscovery>().GetChangeToken("user-service");
        var changed = new TaskCompletionSource();
        using var registration = token.RegisterChangeCallback(_ => changed.TrySetResult(), null);
        // The new instance comes up before the old one leaves, as in a rolling move: removing first would leave
        // a moment with no instance, in which MESD hands the name to its pass-through provider (plain DNS).
        registry.Upsert(EchoServer.Instance("user-service", second));
        registry.Remove($"user-service-{first.BaseUri.Port}");
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // MESD refreshes its watcher on the change token; the next resolutions reach the new instance.
        string answer = "";
        for (var i = 0; i < 50 && !answer.StartsWith($"{second.BaseUri.Port}:", StringComparison.Ordinal); i++)
        {
            answer = await http.GetStringAsync(new Uri("http://user-service/"), TestContext.Current.CancellationToken);
            await Task.Yield();
        }
        Assert.StartsWith($"{second.BaseUri.Port}:", answer, StringComparison.Ordinal);
    }
}

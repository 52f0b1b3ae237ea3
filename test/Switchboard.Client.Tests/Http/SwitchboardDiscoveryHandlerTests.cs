using Switchboard.Client.Discovery;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Http;

public sealed class SwitchboardDiscoveryHandlerTests
{
    private static ServiceProvider Services(TestRegistry registry, string policy = "RoundRobin")
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = registry.BaseUri.ToString(),
            ["Switchboard:LoadBalancingPolicy"] = policy,
        }).Build());
        services.AddLogging();
        services.AddHttpClient("users").AddSwitchboardDiscovery();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Send_ServiceName_SpreadsOverInstancesWithBasePath()
    {
        await using var a = await EchoServer.StartAsync();
        await using var b = await EchoServer.StartAsync();
        await using var registry = await TestRegistry.StartAsync();
        registry.Upsert(EchoServer.Instance("user-service", a, "/api/v1"));
        registry.Upsert(EchoServer.Instance("user-service", b, "/api/v1"));
        await using var provider = Services(registry);
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("users");

        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
            answers.Add(await http.GetStringAsync(new Uri("http://user-service/users/7?full=1"), TestContext.Current.CancellationToken));

        Assert.Equal(2, answers.Count(x => x == $"{a.BaseUri.Port}:/api/v1/users/7?full=1"));
        Assert.Equal(2, answers.Count(x => x == $"{b.BaseUri.Port}:/api/v1/users/7?full=1"));
    }

    [Fact]
    public async Task Send_AfterResponse_RestoresRequestUri()
    {
        await using var a = await EchoServer.StartAsync();
        await using var registry = await TestRegistry.StartAsync();
        registry.Upsert(EchoServer.Instance("user-service", a));
        await using var provider = Services(registry);
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("users");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://user-service/ping");
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(new Uri("http://user-service/ping"), request.RequestUri);
    }

    [Fact]
    public async Task Send_UnknownService_ThrowsNotFoundNamingSources()
    {
        await using var registry = await TestRegistry.StartAsync();
        await using var provider = Services(registry);
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("users");
        var ex = await Assert.ThrowsAsync<ServiceNotFoundException>(() => http.GetStringAsync(new Uri("http://ghost-service/x"), TestContext.Current.CancellationToken));
        Assert.Contains("ghost-service", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_EjectedInstance_IsSkipped()
    {
        await using var a = await EchoServer.StartAsync();
        await using var b = await EchoServer.StartAsync();
        await using var registry = await TestRegistry.StartAsync();
        registry.Upsert(EchoServer.Instance("user-service", a));
        registry.Upsert(EchoServer.Instance("user-service", b));
        await using var provider = Services(registry, "PowerOfTwoChoices");
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("users");
        var result = await provider.GetRequiredService<IServiceDiscovery>().ResolveAsync("user-service", TestContext.Current.CancellationToken);
        result.Endpoints.Single(e => e.Instance.Port == a.BaseUri.Port).SetEjected(true);

        for (var i = 0; i < 10; i++)
            Assert.StartsWith($"{b.BaseUri.Port}:", await http.GetStringAsync(new Uri("http://user-service/"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_InstanceFailing_BreakerOpensAfterThresholdAndTrafficMovesAway()
    {
        await using var failing = await FaultServer.StartAsync();
        await using var healthy = await FaultServer.StartAsync();
        failing.Mode = Fault.Fail;
        await using var registry = await TestRegistry.StartAsync();
        registry.Upsert(failing.Instance("user-service"));
        registry.Upsert(healthy.Instance("user-service"));
        await using var provider = Services(registry);
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("users");

        var statuses = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await http.GetAsync(new Uri("http://user-service/orders"), TestContext.Current.CancellationToken);
            statuses.Add((int)response.StatusCode);
        }

        // Round robin alternates until the failing instance's 5th consecutive failure opens its breaker and ejects it.
        Assert.Equal(5, failing.Requests);
        Assert.Equal(5, statuses.Count(s => s == 500));
        Assert.Equal(25, healthy.Requests);
        var states = provider.GetRequiredService<Switchboard.Client.Resilience.ICircuitBreakerMonitor>().GetStates("user-service");
        Assert.Contains(states, s => s.State == Switchboard.Client.Resilience.CircuitState.Open);
    }

    [Fact]
    public async Task Send_OuterRetrySendsTheSameRequest_PicksAnInstanceNotTriedYet()
    {
        await using var failing = await FaultServer.StartAsync();
        await using var healthy = await FaultServer.StartAsync();
        failing.Mode = Fault.Fail;
        await using var registry = await TestRegistry.StartAsync();
        registry.Upsert(failing.Instance("user-service") with { InstanceId = "user-service-a" });
        registry.Upsert(healthy.Instance("user-service") with { InstanceId = "user-service-b" });
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = registry.BaseUri.ToString(),
            ["Switchboard:LoadBalancingPolicy"] = "FirstAvailable",
        }).Build());
        services.AddLogging();
        services.AddHttpClient("users").AddHttpMessageHandler(() => new ResendOnceOnServerError()).AddSwitchboardDiscovery();
        await using var provider = services.BuildServiceProvider();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("users");

        using var response = await http.GetAsync(new Uri("http://user-service/orders"), TestContext.Current.CancellationToken);

        // FirstAvailable alone would send the retry to the failing first instance again; the call's state travels with the request.
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, failing.Requests);
        Assert.Equal(1, healthy.Requests);
    }

    /// <summary>An outer handler that sends the same request again after a 5xx, as Microsoft's standard resilience handler does.</summary>
    private sealed class ResendOnceOnServerError : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if ((int)response.StatusCode < 500)
                return response;
            response.Dispose();
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

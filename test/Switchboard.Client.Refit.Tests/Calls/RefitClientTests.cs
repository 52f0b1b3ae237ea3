using Refit;
using Switchboard.Client.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Refit.Tests.Calls;

public interface IUserApi
{
    [Get("/users/{id}")]
    Task<Answer> GetUserAsync(int id, CancellationToken cancellationToken);

    [Post("/orders")]
    Task<Answer> CreateOrderAsync([Body] OrderRequest order, CancellationToken cancellationToken);

    [Post("/orders")]
    [SwitchboardCall(AllowRetry = true)]
    Task<Answer> CreateOrderIdempotentAsync([Body] OrderRequest order, CancellationToken cancellationToken);

    [Get("/catalog/{id}")]
    [SwitchboardCall(CacheSeconds = 60)]
    Task<IApiResponse<Answer>> GetCatalogItemAsync(int id, [Header("Cache-Control")] string? cacheControl, CancellationToken cancellationToken);
}

public sealed record OrderRequest(int Id);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Answer))]
[System.Text.Json.Serialization.JsonSerializable(typeof(OrderRequest))]
public sealed partial class UserApiJson : System.Text.Json.Serialization.JsonSerializerContext;

public sealed class RefitClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TestRegistry Registry, FaultServer[] Servers, ServiceProvider Provider)> StartAsync(int count, TimeProvider? time = null, Action<IHttpClientBuilder>? client = null)
    {
        // On fake time retry delays never pass: one attempt per call.
        var attempts = time is null ? "3" : "1";
        var registry = await TestRegistry.StartAsync();
        var servers = new FaultServer[count];
        for (var i = 0; i < count; i++)
        {
            servers[i] = await FaultServer.StartAsync();
            registry.Upsert(servers[i].Instance("user-service"));
        }
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = registry.BaseUri.ToString(),
            ["Switchboard:Defaults:RetryBaseDelay"] = "00:00:00.001",
            ["Switchboard:Defaults:RetryMaxDelay"] = "00:00:00.005",
            ["Switchboard:Defaults:MaxAttempts"] = attempts,
        }).Build());
        services.AddLogging();
        if (time is not null)
            services.AddSingleton(time);
        var builder = services.AddSwitchboardClient<IUserApi>("user-service", UserApiJson.Default);
        client?.Invoke(builder);
        return (registry, servers, services.BuildServiceProvider());
    }

    private static async Task StopAsync((TestRegistry Registry, FaultServer[] Servers, ServiceProvider Provider) h)
    {
        await h.Provider.DisposeAsync();
        foreach (var s in h.Servers)
            await s.DisposeAsync();
        await h.Registry.DisposeAsync();
    }

    [Fact]
    public async Task HandlerAddedAfterAddSwitchboardClient_RunsOnEveryCall()
    {
        var counter = new CountingHandler();
        var h = await StartAsync(1, client: b => b.AddHttpMessageHandler(() => counter));
        try
        {
            var api = h.Provider.GetRequiredService<IUserApi>();
            for (var i = 0; i < 3; i++)
                Assert.Equal($"/users/{i}", (await api.GetUserAsync(i, Ct)).Path);

            Assert.Equal(3, counter.Calls); // Switchboard's handler is the primary one: the added handler wraps it
            Assert.Equal(3, h.Servers[0].Requests);
        }
        finally
        {
            await StopAsync(h);
        }
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task TypedGet_OneOfTwoInstancesFailing_AlwaysSucceeds()
    {
        var h = await StartAsync(2);
        try
        {
            h.Servers[0].Mode = Fault.Fail;
            var api = h.Provider.GetRequiredService<IUserApi>();
            for (var i = 0; i < 20; i++)
            {
                var answer = await api.GetUserAsync(i, Ct);
                Assert.Equal($"/users/{i}", answer.Path);
                Assert.Equal(h.Servers[1].Port, answer.Port);
            }
        }
        finally
        {
            await StopAsync(h);
        }
    }

    [Fact]
    public async Task TypedPost_NotRetriedUnlessMethodOptsIn()
    {
        var h = await StartAsync(1);
        try
        {
            h.Servers[0].Mode = Fault.Fail;
            var api = h.Provider.GetRequiredService<IUserApi>();
            var ex = await Assert.ThrowsAsync<ApiException>(() => api.CreateOrderAsync(new OrderRequest(1), Ct));
            Assert.Equal(System.Net.HttpStatusCode.InternalServerError, ex.StatusCode);
            Assert.Equal(1, h.Servers[0].Requests);

            await Assert.ThrowsAsync<ApiException>(() => api.CreateOrderIdempotentAsync(new OrderRequest(1), Ct));
            Assert.Equal(4, h.Servers[0].Requests);

            h.Servers[0].Mode = Fault.None;
            Assert.Equal("POST", (await api.CreateOrderAsync(new OrderRequest(2), Ct)).Method);
        }
        finally
        {
            await StopAsync(h);
        }
    }

    [Fact]
    public async Task CachedMethod_SecondCallWithinTtl_ServedWithoutCallingTheService()
    {
        var h = await StartAsync(1);
        try
        {
            var api = h.Provider.GetRequiredService<IUserApi>();

            using var first = await api.GetCatalogItemAsync(7, null, Ct);
            using var second = await api.GetCatalogItemAsync(7, null, Ct);
            using var other = await api.GetCatalogItemAsync(8, null, Ct);

            Assert.Equal("/catalog/7", second.Content!.Path);
            Assert.False(first.Headers!.Contains("X-Switchboard-Cache"));
            Assert.Equal("hit", Assert.Single(second.Headers!.GetValues("X-Switchboard-Cache")));
            Assert.Equal("/catalog/8", other.Content!.Path);
            Assert.Equal(2, h.Servers[0].Requests);
        }
        finally
        {
            await StopAsync(h);
        }
    }

    [Fact]
    public async Task CachedMethod_NoCacheHeader_CallsTheServiceAgain()
    {
        var h = await StartAsync(1);
        try
        {
            var api = h.Provider.GetRequiredService<IUserApi>();

            using var first = await api.GetCatalogItemAsync(7, null, Ct);
            using var refreshed = await api.GetCatalogItemAsync(7, "no-cache", Ct);

            Assert.False(refreshed.Headers!.Contains("X-Switchboard-Cache"));
            Assert.Equal(2, h.Servers[0].Requests);
        }
        finally
        {
            await StopAsync(h);
        }
    }

    [Fact]
    public async Task CachedMethod_ServiceFailsAfterTtl_ServesTheStaleAnswerMarkedStale()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var h = await StartAsync(1, time);
        try
        {
            var api = h.Provider.GetRequiredService<IUserApi>();
            using var fresh = await api.GetCatalogItemAsync(7, null, Ct);
            h.Servers[0].Mode = Fault.Drop;
            time.Advance(TimeSpan.FromSeconds(61));

            using var stale = await api.GetCatalogItemAsync(7, null, Ct);

            Assert.True(stale.IsSuccessStatusCode);
            Assert.Equal("/catalog/7", stale.Content!.Path);
            Assert.Equal("stale", Assert.Single(stale.Headers!.GetValues("X-Switchboard-Cache")));
            Assert.True(h.Servers[0].Requests >= 2);
        }
        finally
        {
            await StopAsync(h);
        }
    }
}

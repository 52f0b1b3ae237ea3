using Refit;
using Switchboard.Client.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Calls;

public interface IUserApi
{
    [Get("/users/{id}")]
    Task<Answer> GetUserAsync(int id, CancellationToken cancellationToken);

    [Post("/orders")]
    Task<Answer> CreateOrderAsync([Body] OrderRequest order, CancellationToken cancellationToken);

    [Post("/orders")]
    [SwitchboardCall(AllowRetry = true)]
    Task<Answer> CreateOrderIdempotentAsync([Body] OrderRequest order, CancellationToken cancellationToken);
}

public sealed record OrderRequest(int Id);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Answer))]
[System.Text.Json.Serialization.JsonSerializable(typeof(OrderRequest))]
public sealed partial class UserApiJson : System.Text.Json.Serialization.JsonSerializerContext;

public sealed class RefitClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TestRegistry Registry, FaultServer[] Servers, ServiceProvider Provider)> StartAsync(int count)
    {
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
        }).Build());
        services.AddLogging();
        services.AddSwitchboardClient<IUserApi>("user-service", UserApiJson.Default);
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
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Api;
using Switchboard.Client.RegistryApi;
using Switchboard.Client.Tests.TestSupport;
using Switchboard.Registration;

namespace Switchboard.Client.Tests.RegistryApi;

public sealed class RegistryClientTests
{
    private static ServiceProvider Client(params Uri[] registries)
    {
        var config = new Dictionary<string, string?>();
        for (var i = 0; i < registries.Length; i++)
            config[$"Switchboard:Registries:{i}"] = registries[i].ToString();
        return ClientServices.Build(config);
    }

    private static ServiceRegistration Registration(int port) => new() { ServiceName = "gis-service", Host = "127.0.0.1", Port = port };

    [Fact]
    public async Task Register_FirstRegistryDown_FailsOverToSecond()
    {
        await using var registry = await TestRegistry.StartAsync();
        var dead = new Uri($"http://127.0.0.1:{Ports.Free()}");
        await using var provider = Client(dead, registry.BaseUri);
        var client = provider.GetRequiredService<ISwitchboardRegistryClient>();

        var response = await client.RegisterAsync(Registration(3007), TestContext.Current.CancellationToken);

        Assert.True(response.Created);
        Assert.Equal("gis-service", response.ServiceName);
        Assert.Equal(registry.Port, client.CurrentRegistry!.Port);
        Assert.Single(registry.Instances);
    }

    [Fact]
    public async Task Calls_AfterFailover_StayOnTheWorkingRegistry()
    {
        await using var registry = await TestRegistry.StartAsync();
        await using var provider = Client(new Uri($"http://127.0.0.1:{Ports.Free()}"), registry.BaseUri);
        var client = provider.GetRequiredService<ISwitchboardRegistryClient>();
        var id = (await client.RegisterAsync(Registration(3007), TestContext.Current.CancellationToken)).InstanceId;
        Assert.NotNull(await client.HeartbeatAsync(id, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(registry.Port, client.CurrentRegistry!.Port);
    }

    [Fact]
    public async Task Register_AllRegistriesDown_ThrowsNamingEachRegistry()
    {
        var a = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var b = new Uri($"http://127.0.0.1:{Ports.Free()}");
        await using var provider = Client(a, b);
        var ex = await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            provider.GetRequiredService<ISwitchboardRegistryClient>().RegisterAsync(Registration(1), TestContext.Current.CancellationToken));
        Assert.Equal(2, ex.Failures.Count);
        Assert.Contains($":{a.Port}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($":{b.Port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetInstances_RegistryAnswersHtml_ThrowsUnavailableNotJsonException()
    {
        await using var registry = await TestRegistry.StartAsync();
        registry.Garbage = true;
        await using var provider = Client(registry.BaseUri);
        var ex = await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            provider.GetRequiredService<ISwitchboardRegistryClient>().GetInstancesAsync("gis-service", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(RegistryRoutes.IndexHeader, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_InvalidRegistration_ThrowsRequestExceptionWithBody()
    {
        await using var registry = await TestRegistry.StartAsync();
        await using var provider = Client(registry.BaseUri);
        var ex = await Assert.ThrowsAsync<RegistryRequestException>(() =>
            provider.GetRequiredService<ISwitchboardRegistryClient>().RegisterAsync(Registration(70000), TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Contains("port", ex.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_UnknownInstance_ReturnsNull()
    {
        await using var registry = await TestRegistry.StartAsync();
        await using var provider = Client(registry.BaseUri);
        Assert.Null(await provider.GetRequiredService<ISwitchboardRegistryClient>().HeartbeatAsync("ghost", cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Deregister_KnownThenUnknown_ReturnsTrueThenFalse()
    {
        await using var registry = await TestRegistry.StartAsync();
        await using var provider = Client(registry.BaseUri);
        var client = provider.GetRequiredService<ISwitchboardRegistryClient>();
        var id = (await client.RegisterAsync(Registration(3007), TestContext.Current.CancellationToken)).InstanceId;
        Assert.True(await client.DeregisterAsync(id, TestContext.Current.CancellationToken));
        Assert.False(await client.DeregisterAsync(id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetInstances_BlockingQuery_AnswersWhenServiceChanges()
    {
        await using var registry = await TestRegistry.StartAsync();
        await using var provider = Client(registry.BaseUri);
        var client = provider.GetRequiredService<ISwitchboardRegistryClient>();
        var first = await client.GetInstancesAsync("gis-service", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(first.Instances);

        var blocked = client.GetInstancesAsync("gis-service", first.Index, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(blocked.IsCompleted);
        registry.Upsert(TestEndpoints.Instance("gis-service", 0));
        var second = await blocked.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(second.Index > first.Index);
        Assert.Single(second.Instances);
    }

    [Fact]
    public async Task GetInstances_ServerError_FailsOverAndReportsStatus()
    {
        await using var failing = await TestServer.StartAsync(app => app.MapGet("/{**rest}", () => Results.StatusCode(500)));
        await using var registry = await TestRegistry.StartAsync();
        registry.Upsert(TestEndpoints.Instance("gis-service", 0));
        await using var provider = Client(failing.BaseUri, registry.BaseUri);
        var result = await provider.GetRequiredService<ISwitchboardRegistryClient>().GetInstancesAsync("gis-service", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(result.Instances);
        Assert.Equal(registry.Port, result.Registry.Port);
    }
}

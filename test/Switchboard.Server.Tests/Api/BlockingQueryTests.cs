using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Server.Tests.Api;

public sealed class BlockingQueryTests
{
    [Fact]
    public async Task Instances_IndexCurrent_AnswersWhenServiceChanges()
    {
        await using var server = await RegistryServer.StartAsync();
        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"svc","host":"h","port":1}""")).Dispose();

        var pending = server.Client.GetAsync("/service-discovery/services/svc/instances?index=1&wait=5m", TestContext.Current.CancellationToken);
        await WaitUntilBlockedAsync(pending);
        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"other","host":"h","port":1}""")).Dispose();
        Assert.False(pending.IsCompleted);
        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"svc","host":"h","port":2}""")).Dispose();

        using var response = await pending;
        Assert.Equal("3", response.Headers.GetValues("X-Switchboard-Index").Single());
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
    }

    [Fact]
    public async Task Instances_IndexBehind_AnswersAtOnce()
    {
        await using var server = await RegistryServer.StartAsync();
        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"svc","host":"h","port":1}""")).Dispose();

        using var response = await server.Client.GetAsync("/service-discovery/services/svc/instances?index=0&wait=5m");

        Assert.Equal("1", response.Headers.GetValues("X-Switchboard-Index").Single());
    }

    [Fact]
    public async Task Instances_NoChange_AnswersSameIndexWhenWaitEnds()
    {
        await using var server = await RegistryServer.StartAsync();
        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"svc","host":"h","port":1}""")).Dispose();

        var pending = server.Client.GetAsync("/service-discovery/services/svc/instances?index=1&wait=30s", TestContext.Current.CancellationToken);
        // The request may reach the server after any given Advance: keep advancing fake time until it answers.
        for (var i = 0; i < 500 && !pending.IsCompleted; i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(pending, Task.Delay(20, TestContext.Current.CancellationToken));
        }

        using var response = await pending;
        Assert.Equal("1", response.Headers.GetValues("X-Switchboard-Index").Single());
    }

    [Fact]
    public async Task Instances_UnknownService_WokenWhenRegistered()
    {
        await using var server = await RegistryServer.StartAsync();
        var pending = server.Client.GetAsync("/service-discovery/services/late/instances?index=0&wait=5m", TestContext.Current.CancellationToken);
        await WaitUntilBlockedAsync(pending);

        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"late","host":"h","port":1}""")).Dispose();

        using var response = await pending;
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
    }

    /// <summary>Lets the request start; the assertions hold whether it has reached the server or not, since only the service's own index can answer it.</summary>
    private static async Task WaitUntilBlockedAsync(Task pending)
    {
        await Task.Yield();
        Assert.False(pending.IsCompleted);
    }
}

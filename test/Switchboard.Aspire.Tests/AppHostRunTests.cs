using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Aspire.Tests;

/// <summary>A real AppHost run by the real orchestrator (DCP): the agent and two sample services, one calling the other through the registry.</summary>
public sealed class AppHostRunTests
{
    [Fact]
    public async Task A_service_discovers_and_calls_another_through_the_registry()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;

        var builder = AspireAppHost.CreateBuilder();
        var registry = builder.AddSwitchboard("registry").WithAgentPath(RepositoryPaths.AgentDll);
        var sample = AspireAppHost.SampleServiceDll;
        foreach (var name in new[] { "alpha", "beta" })
        {
            builder.AddExecutable(name, "dotnet", Path.GetDirectoryName(sample)!, sample)
                .WithHttpEndpoint(env: "PORT")
                .WithHttpHealthCheck("/health")
                .WithEnvironment("Switchboard__ServiceName", name)
                .WithEnvironment("Switchboard__Registration__Enabled", "true")
                .WithReference(registry)
                .WaitFor(registry);
        }

        await using var app = builder.Build();
        await app.StartAsync(ct);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        await notifications.WaitForResourceHealthyAsync("registry", ct);
        await notifications.WaitForResourceHealthyAsync("alpha", ct);
        await notifications.WaitForResourceHealthyAsync("beta", ct);

        // The agent the AppHost runs answers on the endpoint Aspire gave it.
        using var registryHttp = app.CreateHttpClient("registry", SwitchboardResource.HttpEndpointName);
        using var health = await registryHttp.GetAsync(new Uri("/health", UriKind.Relative), ct);
        Assert.True(health.IsSuccessStatusCode, $"registry /health answered {(int)health.StatusCode}");

        // alpha asks the registry for beta (self-registration follows the start by a moment) and calls it.
        using var alpha = app.CreateHttpClient("alpha", "http");
        var greeting = await PollAsync(() => alpha.GetFromJsonAsync<Greeting>(new Uri("/call/beta", UriKind.Relative), ct), ct);
        Assert.Equal("alpha", greeting.From);
        Assert.Equal("beta", greeting.Reply?.From);

        // Both registered themselves with the agent the AppHost handed them.
        var services = await registryHttp.GetStringAsync(new Uri("/v1/catalog/services", UriKind.Relative), ct);
        Assert.Contains("\"alpha\"", services, StringComparison.Ordinal);
        Assert.Contains("\"beta\"", services, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithDataDirectory_keeps_the_catalog_across_AppHost_runs()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        var data = Directory.CreateTempSubdirectory("switchboard-aspire-");
        try
        {
            await using (var first = await StartRegistryAsync(data.FullName, ct))
            {
                using var http = first.CreateHttpClient("registry", SwitchboardResource.HttpEndpointName);
                using var body = new StringContent("""{"Name":"kept","ID":"kept-1","Address":"127.0.0.1","Port":9}""");
                using var put = await http.PutAsync(new Uri("/v1/agent/service/register", UriKind.Relative), body, ct);
                Assert.True(put.IsSuccessStatusCode, $"register answered {(int)put.StatusCode}");
            }

            // Disposing the AppHost does not wait for the agent process to exit; the second agent may start only once the first has released the data directory.
            await WaitForDataDirectoryReleaseAsync(data.FullName, ct);
            await using var second = await StartRegistryAsync(data.FullName, ct);
            using var again = second.CreateHttpClient("registry", SwitchboardResource.HttpEndpointName);
            var services = await again.GetStringAsync(new Uri("/v1/catalog/services", UriKind.Relative), ct);
            Assert.Contains("\"kept\"", services, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>Waits (at most 30 s) until no agent holds the directory's <c>LOCK</c> file.</summary>
    private static async Task WaitForDataDirectoryReleaseAsync(string dataDirectory, CancellationToken ct)
    {
        var path = Path.Combine(dataDirectory, "LOCK");
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                await using var probe = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException)
            {
                await Task.Delay(100, ct);
            }
        }
        Assert.Fail($"the first agent still holds {path} after 30 s");
    }

    private static async Task<DistributedApplication> StartRegistryAsync(string dataDirectory, CancellationToken ct)
    {
        var builder = AspireAppHost.CreateBuilder();
        builder.AddSwitchboard("registry").WithAgentPath(RepositoryPaths.AgentDll).WithDataDirectory(dataDirectory);
        var app = builder.Build();
        await app.StartAsync(ct);
        await app.Services.GetRequiredService<ResourceNotificationService>().WaitForResourceHealthyAsync("registry", ct);
        return app;
    }

    /// <summary>Retries <paramref name="call"/> until it succeeds, at most 60 times 250 ms apart (registration lags the start).</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T?>> call, CancellationToken ct)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await call() is { } value)
                    return value;
            }
            catch (HttpRequestException) when (attempt < 60)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    private sealed record Greeting(string From, Greeting? Reply);
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Switchboard.Client.AspNetCore.Tests.Health;

public sealed class SwitchboardHealthTests
{
    private static Task<TestServer> StartAsync(Action<IHealthChecksBuilder> checks) =>
        TestServer.StartAsync(app => app.MapSwitchboardHealth(), builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Switchboard:ServiceName"] = "user-service" });
            builder.Services.AddSwitchboard();
            checks(builder.Services.AddHealthChecks());
        });

    private static async Task<(HttpStatusCode, JsonElement)> GetAsync(TestServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var response = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
        return (response.StatusCode, json);
    }

    [Fact]
    public async Task MapSwitchboardHealth_AllChecksPass_200WithNamedChecks()
    {
        await using var server = await StartAsync(c => c.AddFunctionCheck("database", _ => Task.FromResult(true)).AddFunctionCheck("cache", _ => Task.FromResult(true)));
        var (status, json) = await GetAsync(server);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", json.GetProperty("status").GetString());
        Assert.Equal("user-service", json.GetProperty("service").GetString());
        Assert.Equal("healthy", json.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", json.GetProperty("checks").GetProperty("cache").GetProperty("status").GetString());
    }

    [Fact]
    public async Task MapSwitchboardHealth_OneCheckFails_503NamingIt()
    {
        await using var server = await StartAsync(c => c.AddFunctionCheck("database", _ => Task.FromResult(false)).AddFunctionCheck("cache", _ => Task.FromResult(true)));
        var (status, json) = await GetAsync(server);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", json.GetProperty("status").GetString());
        Assert.Equal("database reported failure", json.GetProperty("checks").GetProperty("database").GetProperty("description").GetString());
    }

    [Fact]
    public async Task MapSwitchboardHealth_Degraded_429ForRegistryWarning()
    {
        await using var server = await StartAsync(c => c.AddCheck("disk", () => HealthCheckResult.Degraded("disk 91% full")));
        var (status, json) = await GetAsync(server);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("degraded", json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task MapSwitchboardHealth_CheckThrows_503WithError()
    {
        await using var server = await StartAsync(c => c.AddFunctionCheck("database", _ => throw new InvalidOperationException("connection pool exhausted")));
        var (status, json) = await GetAsync(server);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("connection pool exhausted", json.GetProperty("checks").GetProperty("database").GetProperty("error").GetString());
    }
}

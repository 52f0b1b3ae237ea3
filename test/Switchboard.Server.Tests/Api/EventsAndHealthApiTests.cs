using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Server.Tests.Api;

public sealed class EventsAndHealthApiTests
{
    [Fact]
    public async Task Events_StreamsRegistrationAndDeregistration()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync("/service-discovery/events?service=svc", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith(": switchboard events", await reader.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"other","host":"h","port":1}""")).Dispose();
        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"svc","host":"h","port":1}""")).Dispose();
        (await server.Client.DeleteAsync("/service-discovery/instances/svc-h-1")).Dispose();

        var events = new List<(string Id, string Type, JsonElement Data)>();
        string? id = null, type = null;
        while (events.Count < 2 && await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
                id = line[4..];
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
                type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                events.Add((id!, type!, JsonDocument.Parse(line[6..]).RootElement.Clone()));
        }

        Assert.Equal(("2", "registered"), (events[0].Id, events[0].Type));
        Assert.Equal("svc", events[0].Data.GetProperty("service_name").GetString());
        Assert.Equal(("3", "deregistered"), (events[1].Id, events[1].Type));
    }

    [Fact]
    public async Task Events_IdleStream_GetsAKeepAliveAtTheTick_AndStillItsEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.GetAsync("/service-discovery/events?service=svc", HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        Assert.StartsWith(": switchboard events", await reader.ReadLineAsync(ct), StringComparison.Ordinal);
        Assert.Equal("", await reader.ReadLineAsync(ct));

        // The stream takes the tick's token once it waits: a tick before that is its next one, so the clock moves tick by tick
        // until the comment comes.
        var next = reader.ReadLineAsync(ct).AsTask();
        for (var i = 0; i < 100 && !next.IsCompleted; i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(15));
            await Task.WhenAny(next, Task.Delay(50, ct));
        }
        Assert.Equal(": keep-alive", await next.WaitAsync(TimeSpan.FromSeconds(30), ct));

        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"svc","host":"h","port":1}""")).Dispose();
        string? line;
        while ((line = await reader.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct)) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
        }
        Assert.NotNull(line);
        Assert.Equal("svc", JsonDocument.Parse(line[6..]).RootElement.GetProperty("service_name").GetString());
    }

    [Fact]
    public async Task AggregatedHealth_SeedShape()
    {
        await using var server = await RegistryServer.StartAsync();
        (await RegisterApiTests.PostJsonAsync(server.Client, RegisterApiTests.SeedBody)).Dispose();

        var health = await server.Client.GetFromJsonAsync<JsonElement>("/service-discovery/health/aggregated");

        Assert.Equal("healthy", health.GetProperty("overall_status").GetString());
        Assert.Equal(server.Time.GetUtcNow(), health.GetProperty("timestamp").GetDateTimeOffset());
        var service = health.GetProperty("services").GetProperty("user-service");
        Assert.Equal("healthy", service.GetProperty("status").GetString());
        Assert.Equal("http://localhost:8080/api/v1", service.GetProperty("endpoint").GetString());
        Assert.Equal(server.Time.GetUtcNow(), service.GetProperty("last_heartbeat").GetDateTimeOffset());
        Assert.Equal(1, health.GetProperty("total_services").GetInt32());
        Assert.Equal(1, health.GetProperty("healthy_services").GetInt32());
        Assert.Equal(0, health.GetProperty("unhealthy_services").GetInt32());
    }

    [Fact]
    public async Task RegistryHealth_IncludesServiceDiscoverySummary()
    {
        await using var server = await RegistryServer.StartAsync();
        (await RegisterApiTests.PostJsonAsync(server.Client, RegisterApiTests.SeedBody)).Dispose();

        var health = await server.Client.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        var summary = health.GetProperty("service_discovery");
        Assert.Equal("healthy", summary.GetProperty("overall_status").GetString());
        Assert.Equal(1, summary.GetProperty("total_services").GetInt32());
        Assert.Equal("memory", health.GetProperty("store").GetProperty("kind").GetString());
    }
}

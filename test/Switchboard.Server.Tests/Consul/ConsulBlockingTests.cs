using System.Net;
using System.Text.Json;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.Consul;

/// <summary>Blocking queries with Consul's semantics, on fake time: the wait's default, cap and jitter are read off the timer the query sets.</summary>
public sealed class ConsulBlockingTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task HealthService_IndexCurrent_BlocksUntilTheServiceChanges()
    {
        var time = new TimerWatchingTimeProvider();
        await using var server = await RegistryServer.StartAsync(time);
        await RegisterAsync(server.Client, """{"ID":"web-1","Name":"web","Port":80}""");
        using var first = await server.Client.GetAsync("/v1/health/service/web");
        var index = Index(first);

        var blocked = time.NextTimerAsync(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));
        var pending = server.Client.GetAsync($"/v1/health/service/web?index={index}", TestContext.Current.CancellationToken);
        await blocked;
        await RegisterAsync(server.Client, """{"Name":"other","Port":80}""");
        Assert.False(pending.IsCompleted); // another service's change does not wake it
        await RegisterAsync(server.Client, """{"ID":"web-2","Name":"web","Port":81}""");

        using var response = await pending;
        Assert.True(Index(response) > index);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task CatalogServices_IndexCurrent_WokenByAnyRegistration()
    {
        var time = new TimerWatchingTimeProvider();
        await using var server = await RegistryServer.StartAsync(time);
        using var first = await server.Client.GetAsync("/v1/catalog/services");
        Assert.Equal(1, Index(first)); // never 0, even for an empty catalog

        var blocked = time.NextTimerAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(32));
        var pending = server.Client.GetAsync("/v1/catalog/services?index=1&wait=30s", TestContext.Current.CancellationToken);
        await blocked;
        await RegisterAsync(server.Client, """{"Name":"late","Port":80}""");

        using var response = await pending;
        Assert.Equal(2, Index(response));
        Assert.True((await response.Content.ReadFromJsonAsync()).TryGetProperty("late", out _));
    }

    [Fact]
    public async Task HealthService_UnknownService_IndexOneBlocksUntilRegistered()
    {
        var time = new TimerWatchingTimeProvider();
        await using var server = await RegistryServer.StartAsync(time);
        using var first = await server.Client.GetAsync("/v1/health/service/late");
        Assert.Equal(1, Index(first));

        var blocked = time.NextTimerAsync(TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));
        var pending = server.Client.GetAsync("/v1/health/service/late?index=1", TestContext.Current.CancellationToken);
        await blocked;
        await RegisterAsync(server.Client, """{"Name":"late","Port":80}""");

        using var response = await pending;
        Assert.Single((await response.Content.ReadFromJsonAsync()).EnumerateArray());
    }

    [Theory]
    [InlineData("wait=30s", 30)]
    [InlineData("", 300)] // Consul's default: 5 minutes
    [InlineData("wait=0s", 300)]
    [InlineData("wait=1h", 600)] // Consul's cap: 10 minutes
    public async Task Wait_DefaultCapAndJitterUpToOneSixteenth_AnswersSameIndexWhenItEnds(string wait, int seconds)
    {
        var time = new TimerWatchingTimeProvider();
        await using var server = await RegistryServer.StartAsync(time);
        await RegisterAsync(server.Client, """{"Name":"web","Port":80}""");
        var expected = TimeSpan.FromSeconds(seconds);

        var timer = time.NextTimerAsync(expected - Tolerance, expected + expected / 16 + Tolerance);
        var pending = server.Client.GetAsync($"/v1/catalog/service/web?index=2&{wait}", TestContext.Current.CancellationToken);
        var due = await timer;
        time.Advance(due - TimeSpan.FromSeconds(1));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        using var response = await pending;
        Assert.InRange(due, expected, expected + expected / 16);
        Assert.Equal(2, Index(response));
        Assert.Single((await response.Content.ReadFromJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task Index_Behind_AnswersAtOnce()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"Name":"web","Port":80}""");

        using var response = await server.Client.GetAsync("/v1/health/service/web?index=1&wait=10m", TestContext.Current.CancellationToken);

        Assert.Equal(2, Index(response));
    }

    [Fact]
    public async Task Index_FromTheFuture_AnswersAtOnceWithLowerIndexSoTheClientResets()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"Name":"web","Port":80}""");

        using var service = await server.Client.GetAsync("/v1/health/service/web?index=9000&wait=10m", TestContext.Current.CancellationToken);
        using var catalog = await server.Client.GetAsync("/v1/catalog/services?index=9000&wait=10m", TestContext.Current.CancellationToken);

        Assert.Equal(2, Index(service));
        Assert.Equal(2, Index(catalog));
    }

    [Theory]
    [InlineData("/v1/health/service/web?wait=soon", "Invalid wait time")]
    [InlineData("/v1/health/service/web?index=-1", "Invalid index")]
    [InlineData("/v1/catalog/services?index=abc", "Invalid index")]
    [InlineData("/v1/health/service/web?passing=maybe", "Invalid value for ?passing")]
    [InlineData("/v1/health/service/web?stale&consistent", "Cannot specify ?stale with ?consistent, conflicting semantics.")]
    [InlineData("/v1/catalog/service/web?filter=ServiceMeta.a%3D%3D1", "Switchboard does not support ?filter expressions; use the tag and passing parameters")]
    [InlineData("/v1/health/service/", "Missing service name")]
    [InlineData("/v1/health/state/", "Missing check state")]
    public async Task BadParameter_400PlainTextWithConsulHeaders(string path, string expected)
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await server.Client.GetAsync(path);

        await AssertTextAsync(response, 400, expected);
        AssertConsulHeaders(response);
    }

    [Fact]
    public async Task OtherDatacenter_500NoPath()
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await server.Client.GetAsync("/v1/catalog/services?dc=dc2");
        using var own = await server.Client.GetAsync("/v1/catalog/services?dc=dc1");

        await AssertTextAsync(response, 400, "No path to datacenter");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Theory]
    [InlineData("/v1/agent/services")]
    [InlineData("/v1/agent/self")]
    [InlineData("/v1/status/leader")]
    [InlineData("/v1/event/list")] // not served: 404, still with the headers
    [InlineData("/v1/session/list")]
    public async Task EveryAnswer_CarriesConsulHeaders_404sIncluded(string path)
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"Name":"web","Port":80}""");

        using var response = await server.Client.GetAsync(path);

        AssertConsulHeaders(response);
        Assert.Equal(2, Index(response));
        if (path.StartsWith("/v1/event", StringComparison.Ordinal) || path.StartsWith("/v1/session", StringComparison.Ordinal))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static void AssertConsulHeaders(HttpResponseMessage response)
    {
        Assert.True(Index(response) >= 1);
        Assert.Equal("true", response.Headers.GetValues("X-Consul-KnownLeader").Single());
        Assert.Equal("0", response.Headers.GetValues("X-Consul-LastContact").Single());
    }
}

internal static class JsonContentExtensions
{
    public static Task<JsonElement> ReadFromJsonAsync(this HttpContent content)
        => System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonElement>(content);
}

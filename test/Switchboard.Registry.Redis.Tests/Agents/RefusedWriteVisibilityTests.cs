using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>
/// Commit before visible on Redis: a write Redis refused (it was down) never reaches a blocking query parked on the agent nor
/// an event-stream subscriber of it, before or after Redis comes back.
/// </summary>
public sealed class RefusedWriteVisibilityTests : IAsyncLifetime
{
    private readonly string _ns = "t" + Guid.NewGuid().ToString("N")[..8];
    private RedisServer _redis = null!;
    private ServiceProcess? _agent;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
            await _agent.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegistrationRefusedWhileRedisIsDown_NeverReachesAParkedQueryOrAnEventSubscriber()
    {
        var agent = _agent = await RedisAgent.StartAsync("a", ["--store", "redis", "--redis", _redis.ConnectionString, "--redis-namespace", _ns]);
        await agent.RegisterAsync("o1");
        using var current = await agent.Client.GetAsync("/service-discovery/services/orders/instances", Ct);
        var index = long.Parse(current.Headers.GetValues("X-Switchboard-Index").Single(), CultureInfo.InvariantCulture);
        using var events = await agent.Client.GetAsync("/service-discovery/events?service=orders", HttpCompletionOption.ResponseHeadersRead, Ct);
        var stream = new StreamReader(await events.Content.ReadAsStreamAsync(Ct));
        Assert.StartsWith(": switchboard events", await stream.ReadLineAsync(Ct), StringComparison.Ordinal);
        var parked = agent.Client.GetAsync($"/service-discovery/services/orders/instances?index={index.ToString(CultureInfo.InvariantCulture)}&wait=60s", Ct);

        await _redis.StopAsync();
        await Eventually.TrueAsync(async () => await agent.HealthStatusAsync() == "degraded", "the agent notices the outage");
        using (var refused = await agent.PostRegistrationAsync("o2"))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.False(parked.IsCompleted, "a refused write woke the parked query");

        await _redis.StartAsync();
        await Eventually.TrueAsync(async () => await agent.HealthStatusAsync() == "healthy", "the agent gets Redis back");
        await agent.RegisterAsync("o3");

        using var woken = await parked.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var ids = JsonDocument.Parse(await woken.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateArray().Select(i => i.GetProperty("instance_id").GetString()).ToList();
        Assert.Equal(["o1", "o3"], ids);
        // The stream either carries o3's registration or, the agent having lost sight of Redis, ends with "resync:"; never o2.
        var received = await ReadEventsAsync(stream);
        Assert.DoesNotContain("\"o2\"", received, StringComparison.Ordinal);
        Assert.True(received.Contains("\"instance_id\":\"o3\"", StringComparison.Ordinal) || received.Contains("data: resync:", StringComparison.Ordinal), received);
    }

    /// <summary>Reads the stream until it ends or carries o3.</summary>
    private static async Task<string> ReadEventsAsync(StreamReader stream)
    {
        var text = new System.Text.StringBuilder();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (await stream.ReadLineAsync(deadline.Token) is { } line)
        {
            text.Append(line).Append('\n');
            if (line.Contains("\"instance_id\":\"o3\"", StringComparison.Ordinal))
                break;
        }
        return text.ToString();
    }
}

using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>A real agent without <c>--hybrid</c> whose real redis-server is stopped: every write is refused with a 503 that says why.</summary>
public sealed class StoreOutageTests : IAsyncLifetime
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

    private string Reason => $"Redis at {_redis.Endpoint} is unreachable";

    [Fact]
    public async Task WithoutHybrid_RedisStopped_WritesAnswer503WithRetryAfterOnBothApisAndTheCli()
    {
        var agent = _agent = await RedisAgent.StartAsync("a", ["--redis", _redis.ConnectionString, "--redis-namespace", _ns]);
        await agent.RegisterAsync("o1");
        await agent.RegisterAsync("o3");
        await agent.RegisterAsync("o5");

        await _redis.StopAsync();
        await Eventually.TrueAsync(async () => await agent.HealthStatusAsync() == "degraded", "the agent notices the outage");

        // Native API: register (twice: a failed write lingering on the node must not turn into a success), heartbeat, deregister.
        foreach (var (what, send) in new (string, Func<Task<HttpResponseMessage>>)[]
        {
            ("register", () => agent.PostRegistrationAsync("o2")),
            ("register without a lease", () => agent.PostRegistrationAsync("ext-1", ttl: "0")),
            ("register without a lease again", () => agent.PostRegistrationAsync("ext-1", ttl: "0")),
            ("heartbeat", () => agent.Client.PutAsync("/service-discovery/instances/o1/heartbeat", null, Ct)),
            ("deregister", () => agent.Client.DeleteAsync("/service-discovery/instances/o1", Ct)),
        })
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{what}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal(503, problem.GetProperty("status").GetInt32());
            Assert.Contains("store is unavailable", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.StartsWith(Reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.EndsWith("the change was not saved.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Consul API: same refusal, as Consul writes errors (plain text).
        using (var consul = await agent.Client.PutAsync("/v1/agent/service/register",
            new StringContent("""{"ID":"c1","Name":"orders","Address":"127.0.0.1","Port":9001}""", Encoding.UTF8, "application/json"), Ct))
            await AssertConsulRefusalAsync(consul);
        using (var consul = await agent.Client.PutAsync("/v1/agent/service/deregister/o3", null, Ct))
            await AssertConsulRefusalAsync(consul);

        // The CLI: one readable line, non-zero exit.
        var (exit, stdout, stderr) = await ProcessRunner.RunCliAsync("register", "--registry", agent.Client.BaseAddress!.ToString(),
            "--name", "orders", "--host", "127.0.0.1", "--port", "9002");
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        var line = stderr.TrimEnd();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith($"switchboard: the registry answered 503 Service Unavailable: {Reason}", line, StringComparison.Ordinal);
        Assert.EndsWith("the change was not saved. (retry in 5 s)", line, StringComparison.Ordinal);

        // Reads are still served, and no refused change shows (commit before visible); when Redis is back, writes are accepted again.
        var served = await agent.InstanceIdsAsync();
        Assert.Contains("o5", served);
        Assert.Contains("o1", served); // its deregistration was refused
        Assert.Contains("o3", served);
        Assert.DoesNotContain("o2", served); // its registration was refused
        await _redis.StartAsync();
        await Eventually.TrueAsync(async () => await agent.HealthStatusAsync() == "healthy", "the agent recovers when Redis starts");
        await agent.RegisterAsync("o4");
    }

    private async Task AssertConsulRefusalAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {body}");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.StartsWith(Reason, body, StringComparison.Ordinal);
        Assert.EndsWith("the change was not saved.", body, StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("X-Consul-Index"), "Consul's headers are on errors too");
    }
}

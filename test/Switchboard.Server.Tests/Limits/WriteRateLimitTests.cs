using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Tests.Limits;

/// <summary>The per-client write rate limit on real Kestrel (loopback), its bucket refilled by fake time only.</summary>
public sealed class WriteRateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WritesPastTheBurst_429WithRetryAfter_NativeProblemDetails_ConsulText()
    {
        await using var server = await StartAsync(permitsPerSecond: 2, burst: 3, exemptLoopback: false);
        for (var i = 0; i < 3; i++)
        {
            using var written = await RegisterAsync(server.Client, $"i-{i}");
            Assert.Equal(HttpStatusCode.Created, written.StatusCode);
        }

        using var refused = await RegisterAsync(server.Client, "i-3");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("too many writes from 127.0.0.1: at most 2 per second, in bursts of up to 3 (Switchboard:Limits:Writes:PermitsPerSecond, Switchboard:Limits:Writes:Burst)", problem, StringComparison.Ordinal);
        Assert.Null(server.Catalog.GetInstance("i-3")); // refused before the handler: nothing changed

        // The Consul API shares the client's bucket and answers as Consul does: plain text.
        using var consul = await server.Client.PutAsync("/v1/agent/service/register", Json("""{"ID":"web-1","Name":"web","Port":80}"""), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, consul.StatusCode);
        Assert.NotNull(consul.Headers.RetryAfter);
        Assert.StartsWith("text/plain", consul.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("(Switchboard:Limits:Writes:PermitsPerSecond, Switchboard:Limits:Writes:Burst)", await consul.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Every write method counts: heartbeats and deregistrations too.
        using (var heartbeat = await server.Client.PutAsync("/service-discovery/instances/i-0/heartbeat", null, Ct))
            Assert.Equal(HttpStatusCode.TooManyRequests, heartbeat.StatusCode);
        using (var deregister = await server.Client.DeleteAsync("/service-discovery/instances/i-0", Ct))
            Assert.Equal(HttpStatusCode.TooManyRequests, deregister.StatusCode);
    }

    [Fact]
    public async Task ReadsHealthAndTheEventStream_NeverLimited_WhileWritesAreRefused()
    {
        await using var server = await StartAsync(permitsPerSecond: 1, burst: 1, exemptLoopback: false);
        (await RegisterAsync(server.Client, "i-0")).Dispose();
        using (var refused = await RegisterAsync(server.Client, "i-1"))
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        string[] reads = ["/service-discovery/services", "/service-discovery/instances/i-0", "/service-discovery/discover/orders",
            "/service-discovery/services/orders/instances", "/service-discovery/health/aggregated", "/health", "/v1/agent/services",
            "/v1/catalog/services", "/v1/health/service/orders"];
        for (var round = 0; round < 5; round++)
        {
            foreach (var path in reads)
            {
                using var read = await server.Client.GetAsync(path, Ct);
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            }
        }
        using var events = await server.Client.GetAsync("/service-discovery/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
    }

    [Fact]
    public async Task TheBucketRefills_AsTimeAdvances_AtThePermitsPerSecond()
    {
        await using var server = await StartAsync(permitsPerSecond: 2, burst: 4, exemptLoopback: false);
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Created, await StatusAsync(RegisterAsync(server.Client, $"i-{i}")));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(RegisterAsync(server.Client, "i-4")));

        server.Time.Advance(TimeSpan.FromMilliseconds(500)); // one permit
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(RegisterAsync(server.Client, "i-4")));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(RegisterAsync(server.Client, "i-5")));

        server.Time.Advance(TimeSpan.FromSeconds(1)); // two
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(RegisterAsync(server.Client, "i-5")));
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(RegisterAsync(server.Client, "i-6")));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(RegisterAsync(server.Client, "i-7")));

        server.Time.Advance(TimeSpan.FromMinutes(10)); // refilled to the burst, never above it
        for (var i = 7; i < 11; i++)
            Assert.Equal(HttpStatusCode.Created, await StatusAsync(RegisterAsync(server.Client, $"i-{i}")));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(RegisterAsync(server.Client, "i-11")));
    }

    [Fact]
    public async Task EachClientAddress_HasItsOwnBucket()
    {
        await using var server = await StartAsync(permitsPerSecond: 1, burst: 2, exemptLoopback: false);
        using var first = Loopback.From("127.0.0.2", server.Client.BaseAddress!);
        using var second = Loopback.From("127.0.0.3", server.Client.BaseAddress!);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Created, await StatusAsync(RegisterAsync(first, $"a-{i}")));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(RegisterAsync(first, "a-2")));

        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Created, await StatusAsync(RegisterAsync(second, $"b-{i}")));
    }

    [Fact]
    public async Task ByDefault_LoopbackCallersAreNeverLimited()
    {
        // A bucket of one permit a second: only the loopback exemption (on by default) lets the burst through.
        await using var server = await RegistryServer.StartAsync(configure: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Limits:Writes:PermitsPerSecond"] = "1",
            ["Switchboard:Limits:Writes:Burst"] = "1",
        }));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.Created, await StatusAsync(RegisterAsync(server.Client, $"i-{i}")));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Client.PutAsync($"/service-discovery/instances/i-{i}/heartbeat", null, Ct)));
        }
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server.Client.PutAsync("/v1/agent/service/register", Json("""{"ID":"web-1","Name":"web","Port":80}"""), Ct)));
    }

    [Fact]
    public async Task PermitsPerSecondZero_TurnsTheLimitOff()
    {
        await using var server = await StartAsync(permitsPerSecond: 0, burst: 1, exemptLoopback: false);
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Created, await StatusAsync(RegisterAsync(server.Client, $"i-{i}")));
    }

    [Theory]
    [InlineData("PermitsPerSecond", "-1", "Switchboard:Limits:Writes:PermitsPerSecond must be between 0 (no limit) and 1000000 (got -1).")]
    [InlineData("PermitsPerSecond", "1000001", "Switchboard:Limits:Writes:PermitsPerSecond must be between 0 (no limit) and 1000000 (got 1000001).")]
    [InlineData("Burst", "0", "Switchboard:Limits:Writes:Burst must be between 1 and 10000000 (got 0).")]
    public void InvalidSettings_FailValidation_NamingTheKey(string setting, string value, string failure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Switchboard:Limits:Writes:{setting}"] = value,
        }).Build());
        services.AddSwitchboardRegistry().UseInMemoryStore();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LimitsOptions>>().Value);
        Assert.Equal(failure, Assert.Single(ex.Failures));
    }

    [Fact]
    public void Defaults_LetAThousandInstancesHeartbeatFromOneAddress()
    {
        var writes = new LimitsOptions().Writes;
        Assert.Equal(200, writes.PermitsPerSecond); // 1,000 instances × one heartbeat per 10 s = 100/s
        Assert.Equal(2_000, writes.Burst);
        Assert.True(writes.ExemptLoopback);
    }

    private static Task<RegistryServer> StartAsync(int permitsPerSecond, int burst, bool exemptLoopback)
        => RegistryServer.StartAsync(configure: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Limits:Writes:PermitsPerSecond"] = permitsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Switchboard:Limits:Writes:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Switchboard:Limits:Writes:ExemptLoopback"] = exemptLoopback ? "true" : "false",
        }));

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient http, string instanceId)
        => http.PostAsync("/service-discovery/register", Json($$"""{"service_name":"orders","instance_id":"{{instanceId}}","host":"10.0.0.1","port":80}"""), Ct);

    private static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return response.StatusCode;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

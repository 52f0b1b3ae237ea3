using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Server.Consul;
using Switchboard.Server.Tests.Consul.Acl;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.Consul;

/// <summary>
/// The Consul reads served from cached bytes (<see cref="ConsulAnswers"/>) answer exactly what the per-request path
/// answers, through every kind of change. The per-request path is reached with <c>near=_agent</c>, a parameter the cache
/// leaves to it and that neither path uses (one node: nothing to sort by distance).
/// </summary>
public sealed class ConsulCachedAnswerTests
{
    private const string Web1 = """{"ID":"web-1","Name":"web","Tags":["primary","v1"],"Port":80,"Checks":[{"CheckID":"web-ttl","TTL":"30s"}]}""";
    private const string Web2 = """{"ID":"web-2","Name":"web","Tags":["secondary","v1"],"Port":81}""";
    private const string Db = """{"ID":"db-1","Name":"db","Tags":["primary"],"Port":5432}""";

    private static readonly string[] Routes =
    [
        "/v1/health/service/web",
        "/v1/health/service/web?passing",
        "/v1/health/service/web?passing=true&tag=v1",
        "/v1/health/service/web?tag=PRIMARY",
        "/v1/health/service/web?tag=nobody-has-it",
        "/v1/health/service/web?index=1&wait=1s",
        "/v1/catalog/service/web",
        "/v1/catalog/service/web?tag=secondary",
        "/v1/catalog/service/web?stale",
        "/v1/catalog/services",
        "/v1/agent/services",
    ];

    [Fact]
    public async Task CachedAnswers_AreByteIdentical_ToThePerRequestPath_ThroughEveryChange()
    {
        await using var server = await RegistryServer.StartAsync();
        await AssertSameAsync(server.Client, "empty catalog", blocking: false); // a blocking query would wait for the first change
        await RegisterAsync(server.Client, Web1);
        await RegisterAsync(server.Client, Web2);
        await RegisterAsync(server.Client, Db);
        await AssertSameAsync(server.Client, "registered");

        await Report(server.Client, "pass", "web-ttl", "all good");
        await AssertSameAsync(server.Client, "check passing");
        await Report(server.Client, "pass", "web-ttl", "still good"); // output only: no new index, no new view
        await AssertSameAsync(server.Client, "output-only report");
        await Report(server.Client, "fail", "web-ttl", "down");
        await AssertSameAsync(server.Client, "check critical");
        await Report(server.Client, "pass", "web-ttl", "back");
        await AssertSameAsync(server.Client, "check passing again");

        using (var heartbeat = await server.Client.PutAsJsonAsync("/service-discovery/instances/web-2/heartbeat", new { status = "warning", output = "slow disk" }, TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        await AssertSameAsync(server.Client, "native heartbeat: warning");
        using (var heartbeat = await server.Client.PutAsJsonAsync("/service-discovery/instances/web-2/heartbeat", new { status = "warning", output = "slower disk" }, TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        await AssertSameAsync(server.Client, "native heartbeat: output only");

        (await PutAsync(server.Client, "/v1/agent/service/maintenance/web-1?enable=true&reason=patching")).Dispose();
        await AssertSameAsync(server.Client, "maintenance on");
        (await PutAsync(server.Client, "/v1/agent/service/maintenance/web-1?enable=false")).Dispose();
        await AssertSameAsync(server.Client, "maintenance off");

        await RegisterAsync(server.Client, Web2.Replace("\"v1\"", "\"v2\"", StringComparison.Ordinal));
        await AssertSameAsync(server.Client, "re-registered with other tags");
        (await PutAsync(server.Client, "/v1/agent/service/deregister/web-1")).Dispose();
        await AssertSameAsync(server.Client, "deregistered one");
        (await PutAsync(server.Client, "/v1/agent/service/deregister/web-2")).Dispose();
        await AssertSameAsync(server.Client, "service empty");
    }

    [Fact]
    public async Task ATokenThatMayNotReadEverything_NeverGetsTheCachedAnswer_OfWhatItMayNotSee()
    {
        await using var server = await AclServer.StartAsync();
        var management = await server.BootstrapAsync();
        foreach (var body in new[] { Web1, Db })
        {
            using var registered = await server.SendAsync(HttpMethod.Put, "/v1/agent/service/register", management, body);
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        }
        var webReader = (await server.TokenWithRulesAsync(management, "web-reader", """{"service":{"web":{"policy":"read"}}}""")).GetProperty("SecretID").GetString()!;

        // The management token fills every cache first.
        foreach (var route in new[] { "/v1/catalog/services", "/v1/agent/services", "/v1/health/service/db", "/v1/catalog/service/db", "/v1/health/service/web" })
        {
            using var primed = await server.SendAsync(HttpMethod.Get, route, management);
            Assert.Equal(HttpStatusCode.OK, primed.StatusCode);
            Assert.False(primed.Headers.Contains(ConsulAcl.FilteredHeader), route);
        }

        using (var services = await server.SendAsync(HttpMethod.Get, "/v1/catalog/services", webReader))
        {
            Assert.Equal(["web"], Keys(await services.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken)));
            Assert.Equal("true", services.Headers.GetValues(ConsulAcl.FilteredHeader).Single());
        }
        using (var agent = await server.SendAsync(HttpMethod.Get, "/v1/agent/services", webReader))
        {
            Assert.Equal(["web-1"], Keys(await agent.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken)));
            Assert.Equal("true", agent.Headers.GetValues(ConsulAcl.FilteredHeader).Single());
        }
        foreach (var route in new[] { "/v1/health/service/db", "/v1/catalog/service/db" })
        {
            using var denied = await server.SendAsync(HttpMethod.Get, route, webReader);
            Assert.Equal("[]", await denied.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal("true", denied.Headers.GetValues(ConsulAcl.FilteredHeader).Single());
        }
        using var readable = await server.SendAsync(HttpMethod.Get, "/v1/health/service/web", webReader);
        using var asManagement = await server.SendAsync(HttpMethod.Get, "/v1/health/service/web", management);
        Assert.Equal(await asManagement.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), await readable.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.False(readable.Headers.Contains(ConsulAcl.FilteredHeader));
    }

    [Fact]
    public async Task Answers_AreBuiltOncePerView_TaggedOnesUpToTheCap_AndRebuiltWhenAnOutputChanges()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Web1);
        await Report(server.Client, "pass", "web-ttl", "one");
        var answers = server.Services.GetRequiredService<ConsulAnswers>();
        var view = server.Catalog.GetService("web")!;

        Assert.Same(answers.HealthService(view, true, null), answers.HealthService(view, true, null));
        Assert.Same(answers.CatalogService(view, "primary"), answers.CatalogService(view, "PRIMARY"));
        for (var i = 0; i < ConsulAnswers.MaxTaggedAnswers + 4; i++)
            _ = answers.CatalogService(view, $"t{i}");
        Assert.NotSame(answers.CatalogService(view, "past-the-cap"), answers.CatalogService(view, "past-the-cap"));
        Assert.Equal("[]", System.Text.Encoding.UTF8.GetString(answers.CatalogService(view, "past-the-cap")));

        var before = answers.HealthService(view, false, null);
        await Report(server.Client, "pass", "web-ttl", "two");
        Assert.Same(view, server.Catalog.GetService("web")); // an output-only change publishes no view...
        var after = answers.HealthService(view, false, null);
        Assert.NotSame(before, after); // ...but the answer that shows it is rebuilt
        Assert.Contains("\"Output\":\"two\"", System.Text.Encoding.UTF8.GetString(after), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReRegistrationTheStoreRefuses_LeavesTheHealthAnswerShowingTheOriginalChecksOutput()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new Registry.Tests.ControlledStore();
        await using var server = await RegistryServer.StartAsync(store: store);
        await RegisterAsync(server.Client, Web1);
        await Report(server.Client, "pass", "web-ttl", "all good");
        Assert.Contains("\"Output\":\"all good\"", await server.Client.GetStringAsync("/v1/health/service/web", ct), StringComparison.Ordinal);

        store.Mode = Registry.Tests.ControlledStore.Answer.Hold;
        var refused = PutAsync(server.Client, "/v1/agent/service/register", Web1.Replace("\"30s\"", "\"1m\"", StringComparison.Ordinal)); // same check id, new spec
        for (var i = 0; store.HeldCount == 0; i++)
        {
            Assert.True(i < 3_000, "the write never reached the store");
            await Task.Delay(10, ct); // waits for the request to reach the store, not for time to pass
        }
        (await server.Client.GetAsync("/v1/health/service/web", ct)).Dispose(); // an answer cached while the change is pending
        store.Release(new IOException("test store: the disk went away"));
        using (var answer = await refused)
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);

        var health = await server.Client.GetStringAsync("/v1/health/service/web", ct);
        Assert.Contains("\"Output\":\"all good\"", health, StringComparison.Ordinal);
        Assert.Equal(await server.Client.GetStringAsync("/v1/health/service/web?near=_agent", ct), health);
    }

    [Fact]
    public async Task TaggedAnswers_OfALargeService_AreNotKept_PastTheByteCap()
    {
        await using var server = await RegistryServer.StartAsync();
        for (var i = 0; i < 800; i++)
        {
            var errors = Registration.RegistrationValidator.Validate(new Registration.ServiceRegistration
            {
                ServiceName = "big",
                InstanceId = $"big-{i}",
                Host = $"10.0.{i / 250}.{i % 250}",
                Port = 8080,
                Tags = ["api"],
                Ttl = TimeSpan.FromMinutes(10),
            }, null, out var instance);
            Assert.Empty(errors);
            await server.Catalog.RegisterAsync(instance!, TestContext.Current.CancellationToken);
        }
        var answers = server.Services.GetRequiredService<ConsulAnswers>();
        var view = server.Catalog.GetService("big")!;

        var tagged = answers.HealthService(view, false, "api");
        Assert.True(tagged.Length > ConsulAnswers.MaxTaggedBytes, $"{tagged.Length} bytes");
        Assert.NotSame(tagged, answers.HealthService(view, false, "api")); // built per request, as before the cache
        Assert.Equal(tagged, answers.HealthService(view, false, "api"));
        Assert.Same(answers.HealthService(view, false, null), answers.HealthService(view, false, null)); // the untagged answer is always kept
    }

    [Theory]
    [InlineData("/v1/health/service/web?pretty")]
    [InlineData("/v1/catalog/service/web?tag=v1&tag=primary")]
    [InlineData("/v1/catalog/services?pretty")]
    [InlineData("/v1/agent/services?near=_agent")]
    public void ParametersTheCacheDoesNotHold_TakeThePerRequestPath(string path)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(path[path.IndexOf('?', StringComparison.Ordinal)..]);
        Assert.False(ConsulAnswers.Serves(context.Request, out _));
    }

    private static async Task Report(HttpClient client, string verb, string checkId, string note)
    {
        using var response = await PutAsync(client, $"/v1/agent/check/{verb}/{checkId}?note={Uri.EscapeDataString(note)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Reads every route twice through both paths; a blocking route (<c>index=1</c>) answers at once once the catalog changed.</summary>
    private static async Task AssertSameAsync(HttpClient client, string step, bool blocking = true)
    {
        foreach (var route in Routes.Where(r => blocking || !r.Contains("index=", StringComparison.Ordinal)))
        {
            for (var read = 0; read < 2; read++) // the second read is the cached one
            {
                using var cached = await client.GetAsync(route, TestContext.Current.CancellationToken);
                using var uncached = await client.GetAsync(route + (route.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "near=_agent", TestContext.Current.CancellationToken);
                var what = $"{step}: {route} (read {read + 1})";
                Assert.Equal(uncached.StatusCode, cached.StatusCode);
                Assert.True(HttpStatusCode.OK == cached.StatusCode, what);
                Assert.Equal(Header(uncached, "X-Consul-Index"), Header(cached, "X-Consul-Index"));
                Assert.Equal(Header(uncached, ConsulAcl.FilteredHeader), Header(cached, ConsulAcl.FilteredHeader));
                Assert.Equal(uncached.Content.Headers.ContentType?.ToString(), cached.Content.Headers.ContentType?.ToString());
                var expected = await uncached.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                var actual = await cached.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.True(expected == actual, $"{what}\nper request: {expected}\ncached:      {actual}");
            }
        }
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}

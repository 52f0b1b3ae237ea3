using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Registry.Tests;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.Api;

/// <summary>A write the store refuses is answered 503 with Retry-After and the reason on both APIs, and is never seen by readers or parked queries.</summary>
public sealed class StoreRefusalTests
{
    private const string Orders = """{"service_name":"orders","host":"127.0.0.1","port":8080,"instance_id":"orders-1"}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task NativeRegistration_Refused_Is503WithRetryAfterAndReason_AndInvisibleToAParkedQuery()
    {
        var store = new ControlledStore { Mode = ControlledStore.Answer.Refuse };
        await using var server = await RegistryServer.StartAsync(store: store);
        var parked = server.Client.GetAsync("/service-discovery/services/orders/instances?index=0&wait=30s", TestContext.Current.CancellationToken);

        using var refused = await server.Client.PostAsync("/service-discovery/register", Json(Orders), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains("no space left on device", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(parked.IsCompleted);
        using (var read = await server.Client.GetAsync("/service-discovery/services/orders/instances", TestContext.Current.CancellationToken))
            Assert.Equal("[]", await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        store.Mode = ControlledStore.Answer.Accept;
        using var accepted = await server.Client.PostAsync("/service-discovery/register", Json(Orders), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        using var woken = await parked;
        Assert.Contains("orders-1", await woken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedAndFailedWrites_NeverReachAnEventSubscriber()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new ControlledStore { Mode = ControlledStore.Answer.Refuse };
        await using var server = await RegistryServer.StartAsync(store: store);
        using var stream = await server.Client.GetAsync("/service-discovery/events?service=orders", HttpCompletionOption.ResponseHeadersRead, ct);
        using var body = new StreamReader(await stream.Content.ReadAsStreamAsync(ct));
        Assert.StartsWith(": switchboard events", await body.ReadLineAsync(ct), StringComparison.Ordinal);
        Assert.Equal("", await body.ReadLineAsync(ct)); // the comment's blank line

        // Refused by the store at once.
        using (var refused = await server.Client.PostAsync("/service-discovery/register", Json(Instance("orders-refused")), ct))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        // Held by the store, then failed.
        store.Mode = ControlledStore.Answer.Hold;
        var failing = server.Client.PostAsync("/service-discovery/register", Json(Instance("orders-failed")), ct);
        for (var i = 0; store.HeldCount == 0; i++)
        {
            Assert.True(i < 3_000, "the write never reached the store");
            await Task.Delay(10, ct); // waits for the request to reach the store, not for time to pass
        }
        store.Release(new IOException("test store: the disk went away"));
        using (var failed = await failing)
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);

        // Accepted: the first and only event the subscriber gets.
        store.Mode = ControlledStore.Answer.Accept;
        using var accepted = await server.Client.PostAsync("/service-discovery/register", Json(Instance("orders-accepted")), ct);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var index = (await accepted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("index").GetInt64();
        Assert.Equal($"id: {index}", await body.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct));
        Assert.Equal("event: registered", await body.ReadLineAsync(ct));
        var data = await body.ReadLineAsync(ct);
        Assert.Contains("\"instance_id\":\"orders-accepted\"", data, StringComparison.Ordinal);
    }

    private static string Instance(string id) => $$"""{"service_name":"orders","host":"127.0.0.1","port":8080,"instance_id":"{{id}}"}""";

    [Fact]
    public async Task ConsulDeregistration_Refused_Is503Twice_AndTheInstanceStays()
    {
        var store = new ControlledStore();
        await using var server = await RegistryServer.StartAsync(store: store);
        await RegisterAsync(server.Client, """{"ID":"web1","Name":"web","Port":80}""");
        store.Mode = ControlledStore.Answer.Refuse;

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var refused = await PutAsync(server.Client, "/v1/agent/service/deregister/web1");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("no space left on device", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        Assert.Equal(1, (await GetJsonAsync(server.Client, "/v1/health/service/web")).GetArrayLength());
        store.Mode = ControlledStore.Answer.Accept;
        using var accepted = await PutAsync(server.Client, "/v1/agent/service/deregister/web1");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(0, (await GetJsonAsync(server.Client, "/v1/health/service/web")).GetArrayLength());
    }

    [Fact]
    public async Task NativeRegistration_CheckIdOfAnotherInstance_Is409NamingTheField()
    {
        await using var server = await RegistryServer.StartAsync();
        const string first = """{"service_name":"orders","host":"127.0.0.1","port":8080,"instance_id":"orders-1","checks":[{"kind":"ttl","ttl":"30s","id":"shared"}]}""";
        const string second = """{"service_name":"orders","host":"127.0.0.1","port":8081,"instance_id":"orders-2","checks":[{"kind":"ttl","ttl":"30s","id":"shared"}]}""";
        using (var ok = await server.Client.PostAsync("/service-discovery/register", Json(first), TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);

        using var conflict = await server.Client.PostAsync("/service-discovery/register", Json(second), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var problem = await conflict.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty("checks[0].id", out _), problem.ToString());
        Assert.Null(server.Catalog.GetInstance("orders-2"));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task NativeRegistration_DotSegmentId_Is400(string id)
    {
        await using var server = await RegistryServer.StartAsync();
        var body = $$"""{"service_name":"orders","host":"127.0.0.1","port":8080,"instance_id":"{{id}}"}""";

        using var response = await server.Client.PostAsync("/service-discovery/register", Json(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("instance_id", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Fact]
    public async Task ConsulRegistration_PastMaxInstances_Is503()
    {
        await using var server = await RegistryServer.StartAsync();
        server.Catalog.Options.MaxInstances = 1;
        await RegisterAsync(server.Client, """{"ID":"web1","Name":"web","Port":80}""");

        using var full = await PutAsync(server.Client, "/v1/agent/service/register", """{"ID":"web2","Name":"web","Port":81}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Contains("maximum", await full.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })] // invalid UTF-8
    [InlineData(new byte[] { 0x5C, 0x75, 0x64, 0x38, 0x30, 0x30 })] // \ud800: a lone surrogate
    public async Task ConsulRegistration_UndecodableString_Is400DecodeFailed(byte[] inside)
    {
        await using var server = await RegistryServer.StartAsync();
        byte[] body = [.. """{"ID":"web1","Name":"web","Port":80,"Tags":["""u8.ToArray(), (byte)'"', .. inside, (byte)'"', .. "]}"u8.ToArray()];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await server.Client.PutAsync("/v1/agent/service/register", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Request decode failed", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Fact]
    public async Task ReRegisteringAnotherServicesInstanceId_Is409Native_400Consul_AndDiscoveryIsUnchanged()
    {
        await using var server = await RegistryServer.StartAsync();
        using (var ok = await server.Client.PostAsync("/service-discovery/register", Json("""{"service_name":"payments","host":"10.0.0.5","port":443,"instance_id":"pay-1"}"""), TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);

        using var native = await server.Client.PostAsync("/service-discovery/register", Json("""{"service_name":"orders","host":"10.6.6.6","port":443,"instance_id":"pay-1"}"""), TestContext.Current.CancellationToken);
        using var consul = await PutAsync(server.Client, "/v1/agent/service/register", """{"ID":"pay-1","Name":"orders","Address":"10.6.6.6","Port":443}""");

        Assert.Equal(HttpStatusCode.Conflict, native.StatusCode);
        Assert.Contains("instance_id", await native.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, consul.StatusCode);
        Assert.Contains("registered under service \"payments\"", await consul.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var discover = await server.Client.GetAsync("/service-discovery/discover/payments", TestContext.Current.CancellationToken);
        Assert.Contains("10.0.0.5", await discover.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Empty(server.Catalog.GetService("orders")?.Instances ?? []);
    }
}

using System.Net;
using Switchboard.Server.Tests.Api;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.Consul;

/// <summary>One catalog behind both APIs: what either registers, the other finds, with the same health.</summary>
public sealed class ConsulInteropTests
{
    [Fact]
    public async Task ConsulRegistered_FoundThroughNativeApi()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"ID":"web-1","Name":"web","Address":"10.0.0.5","Port":8080,"Tags":["api"],"Meta":{"team":"a"},"Check":{"TTL":"30s","Status":"passing"}}""");

        var instances = await GetJsonAsync(server.Client, "/service-discovery/services/web/instances");
        var discovered = await GetJsonAsync(server.Client, "/service-discovery/discover/web");

        var instance = Assert.Single(instances.EnumerateArray());
        Assert.Equal("web-1", instance.GetProperty("instance_id").GetString());
        Assert.Equal("http://10.0.0.5:8080", instance.GetProperty("base_url").GetString());
        Assert.Equal("passing", instance.GetProperty("status").GetString());
        Assert.Equal("a", instance.GetProperty("metadata").GetProperty("team").GetString());
        Assert.Equal("web-1", discovered.GetProperty("instance_id").GetString());
    }

    [Fact]
    public async Task NativeRegistered_FoundThroughConsulApi_WithResolvedCheckUrl()
    {
        await using var server = await RegistryServer.StartAsync();
        (await RegisterApiTests.PostJsonAsync(server.Client, RegisterApiTests.SeedBody)).Dispose();

        var entry = Assert.Single((await GetJsonAsync(server.Client, "/v1/health/service/user-service")).EnumerateArray());

        Assert.Equal("user-service-localhost-8080", entry.GetProperty("Service").GetProperty("ID").GetString());
        Assert.Equal("localhost", entry.GetProperty("Service").GetProperty("Address").GetString());
        Assert.Equal(8080, entry.GetProperty("Service").GetProperty("Port").GetInt32());
        var check = entry.GetProperty("Checks")[1];
        Assert.Equal("http", check.GetProperty("Type").GetString());
        Assert.Equal("http://localhost:8080/health", check.GetProperty("Definition").GetProperty("HTTP").GetString());
        Assert.True((await GetJsonAsync(server.Client, "/v1/catalog/services")).TryGetProperty("user-service", out _));
    }

    [Fact]
    public async Task NativeHeartbeatStatus_ShownAsACheck_AndDecidesPassing()
    {
        await using var server = await RegistryServer.StartAsync();
        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"worker","instance_id":"w1","host":"h","port":1}""")).Dispose();

        var leased = Assert.Single((await GetJsonAsync(server.Client, "/v1/health/service/worker?passing")).EnumerateArray());
        Assert.Equal("switchboard-status:w1", leased.GetProperty("Checks")[1].GetProperty("CheckID").GetString());
        Assert.Equal("ttl", leased.GetProperty("Checks")[1].GetProperty("Type").GetString());

        using var heartbeat = await server.Client.PutAsync("/service-discovery/instances/w1/heartbeat",
            new StringContent("""{"status":"critical","output":"queue stuck"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);

        Assert.Empty((await GetJsonAsync(server.Client, "/v1/health/service/worker?passing=true")).EnumerateArray());
        var all = Assert.Single((await GetJsonAsync(server.Client, "/v1/health/service/worker")).EnumerateArray());
        Assert.Equal("critical", all.GetProperty("Checks")[1].GetProperty("Status").GetString());
        Assert.Equal("queue stuck", all.GetProperty("Checks")[1].GetProperty("Output").GetString());
    }

    [Fact]
    public async Task Passing_ExcludesWarning_AsConsulButNativeCountsItHealthy()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"ID":"a","Name":"web","Port":1,"Check":{"CheckID":"a-ttl","TTL":"30s","Status":"passing"}}""");
        await RegisterAsync(server.Client, """{"ID":"b","Name":"web","Port":2,"Check":{"CheckID":"b-ttl","TTL":"30s","Status":"warning"}}""");
        await RegisterAsync(server.Client, """{"ID":"c","Name":"web","Port":3,"Check":{"CheckID":"c-ttl","TTL":"30s"}}""");

        var passing = await GetJsonAsync(server.Client, "/v1/health/service/web?passing=1");
        var all = await GetJsonAsync(server.Client, "/v1/health/service/web?passing=false");
        var nativeHealthy = await GetJsonAsync(server.Client, "/service-discovery/services/web/instances?healthy=true");

        Assert.Equal(["a"], passing.EnumerateArray().Select(e => e.GetProperty("Service").GetProperty("ID").GetString()));
        Assert.Equal(3, all.GetArrayLength());
        Assert.Equal(["a", "b"], nativeHealthy.EnumerateArray().Select(e => e.GetProperty("instance_id").GetString()));
    }

    [Fact]
    public async Task Tags_RepeatedAreAnded_CaseInsensitive()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"ID":"a","Name":"web","Port":1,"Tags":["API","v1"]}""");
        await RegisterAsync(server.Client, """{"ID":"b","Name":"web","Port":2,"Tags":["api"]}""");

        var both = await GetJsonAsync(server.Client, "/v1/health/service/web?tag=api&tag=V1");
        var one = await GetJsonAsync(server.Client, "/v1/catalog/service/web?tag=api");
        var none = await GetJsonAsync(server.Client, "/v1/catalog/service/web?tag=v2");

        Assert.Equal(["a"], both.EnumerateArray().Select(e => e.GetProperty("Service").GetProperty("ID").GetString()));
        Assert.Equal(2, one.GetArrayLength());
        Assert.Empty(none.EnumerateArray());
    }

    [Fact]
    public async Task Deregister_EitherApi_GoneFromBoth()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"ID":"a","Name":"web","Port":1}""");
        (await RegisterApiTests.PostJsonAsync(server.Client, """{"service_name":"web","instance_id":"b","host":"h","port":2}""")).Dispose();

        using var viaNative = await server.Client.DeleteAsync("/service-discovery/instances/a");
        using var viaConsul = await PutAsync(server.Client, "/v1/agent/service/deregister/b");

        Assert.Equal(HttpStatusCode.OK, viaNative.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viaConsul.StatusCode);
        Assert.Empty((await GetJsonAsync(server.Client, "/v1/agent/services")).EnumerateObject());
        Assert.Empty((await GetJsonAsync(server.Client, "/service-discovery/services/web/instances")).EnumerateArray());
    }
}

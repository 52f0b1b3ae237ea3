using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.Consul;

/// <summary>Maintenance through Consul's <c>/v1/agent/service/maintenance</c> and the native route, and what each answers to bad input.</summary>
public sealed class ConsulMaintenanceTests
{
    private const string Web = """{"ID":"web-1","Name":"web","Port":80}""";

    [Fact]
    public async Task Enable_AddsConsulsMaintenanceCheck_DrainsTheService_DisableEndsIt()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Web);

        using (var response = await PutAsync(server.Client, "/v1/agent/service/maintenance/web-1?enable=true&reason=patching%20%3Cb%3E"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var check = (await GetJsonAsync(server.Client, "/v1/agent/checks")).GetProperty("_service_maintenance:web-1");
        Assert.Equal("critical", check.GetProperty("Status").GetString());
        Assert.Equal("patching <b>", check.GetProperty("Output").GetString());
        Assert.Equal(0, (await GetJsonAsync(server.Client, "/v1/health/service/web?passing=true")).GetArrayLength());

        using (var response = await PutAsync(server.Client, "/v1/agent/service/maintenance/web-1?enable=false"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await GetJsonAsync(server.Client, "/v1/health/service/web?passing=true")).GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/agent/service/maintenance/web-1", 400, "Missing value for enable")]
    [InlineData("/v1/agent/service/maintenance/web-1?enable=maybe", 400, "Invalid value for enable: \"maybe\"")]
    [InlineData("/v1/agent/service/maintenance/nobody?enable=true", 404, "Unknown service ID \"nobody\". Ensure that the service ID is passed, not the service name.")]
    public async Task BadInput_GetsConsulsAnswer(string path, int status, string text)
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Web);
        using var response = await PutAsync(server.Client, path);
        await AssertTextAsync(response, status, text);
    }

    [Theory]
    [InlineData("""{"reason":"x"}""", "enable")]
    [InlineData("""{"enable":"yes"}""", "enable")]
    [InlineData("""{"enable":true,"reason":7}""", "reason")]
    public async Task Native_BadBody_IsAProblemNamingTheField(string body, string field)
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Web);
        using var response = await server.Client.PutAsync("/service-discovery/instances/web-1/maintenance", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Native_Enable_AnswersTheInstance_AndATooLongReasonIsRefused()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Web);
        using var tooLong = await server.Client.PutAsJsonAsync("/service-discovery/instances/web-1/maintenance", new { enable = true, reason = new string('r', 1025) }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        using var unknown = await server.Client.PutAsJsonAsync("/service-discovery/instances/nobody/maintenance", new { enable = true }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var response = await server.Client.PutAsJsonAsync("/service-discovery/instances/web-1/maintenance", new { enable = true, reason = "rack move" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var instance = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("critical", instance.GetProperty("status").GetString());
        Assert.Equal("rack move", instance.GetProperty("checks")[0].GetProperty("output").GetString());
    }

    [Fact]
    public async Task WithoutServiceWrite_BothRoutesAreRefused_AndNothingChanges()
    {
        await using var server = await Acl.AclServer.StartAsync();
        var management = await server.BootstrapAsync();
        using (var registered = await server.SendAsync(HttpMethod.Put, "/v1/agent/service/register", management, Web))
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode); // Consul's empty 200

        using var consul = await server.SendAsync(HttpMethod.Put, "/v1/agent/service/maintenance/web-1?enable=true", token: null);
        Assert.Equal(HttpStatusCode.Forbidden, consul.StatusCode);
        using var native = await server.SendAsync(HttpMethod.Put, "/service-discovery/instances/web-1/maintenance", token: null, """{"enable":true}""");
        Assert.Equal(HttpStatusCode.Forbidden, native.StatusCode);
        Assert.False((await server.JsonAsync(HttpMethod.Get, "/v1/agent/checks", management)).TryGetProperty("_service_maintenance:web-1", out _));
    }
}

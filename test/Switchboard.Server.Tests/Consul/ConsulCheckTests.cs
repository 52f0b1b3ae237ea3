using System.Net;
using System.Text.Json;
using Switchboard.Instances;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.Consul;

public sealed class ConsulCheckTests
{
    private const string WithTtl = """{"ID":"web-1","Name":"web","Port":80,"Checks":[{"CheckID":"web-ttl","TTL":"30s"},{"CheckID":"web-tcp","TCP":"127.0.0.1:1","Interval":"10s"}]}""";

    [Theory]
    [InlineData("pass", "passing")]
    [InlineData("warn", "warning")]
    [InlineData("fail", "critical")]
    public async Task PassWarnFail_Note_StatusAndOutput(string verb, string status)
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, WithTtl);

        using var response = await PutAsync(server.Client, $"/v1/agent/check/{verb}/web-ttl?note=all%20good");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var check = (await GetJsonAsync(server.Client, "/v1/agent/checks")).GetProperty("web-ttl");
        Assert.Equal(status, check.GetProperty("Status").GetString());
        Assert.Equal("all good", check.GetProperty("Output").GetString());
    }

    [Fact]
    public async Task Pass_StatusMapsOntoSwitchboardStatus_WorstCheck()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"ID":"web-1","Name":"web","Port":80,"Checks":[{"CheckID":"a","TTL":"30s"},{"CheckID":"b","TTL":"30s"}]}""");
        Assert.Equal(HealthStatus.Critical, server.Catalog.GetInstance("web-1")!.Instance.Status);

        (await PutAsync(server.Client, "/v1/agent/check/pass/a")).Dispose();
        (await PutAsync(server.Client, "/v1/agent/check/warn/b")).Dispose();

        Assert.Equal(HealthStatus.Warning, server.Catalog.GetInstance("web-1")!.Instance.Status);
        var native = await GetJsonAsync(server.Client, "/service-discovery/instances/web-1");
        Assert.Equal("warning", native.GetProperty("instance").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Update_Body_StatusAndOutput()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, WithTtl);

        using var response = await PutAsync(server.Client, "/v1/agent/check/update/web-ttl", """{"status":"warning","output":"disk 91%"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var check = (await GetJsonAsync(server.Client, "/v1/agent/checks")).GetProperty("web-ttl");
        Assert.Equal("warning", check.GetProperty("Status").GetString());
        Assert.Equal("disk 91%", check.GetProperty("Output").GetString());
    }

    [Fact]
    public async Task Update_LongOutput_CutAsConsulDoes()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, WithTtl);
        var output = new string('x', 5000);

        (await PutAsync(server.Client, "/v1/agent/check/update/web-ttl", JsonSerializer.Serialize(new { Status = "passing", Output = output }))).Dispose();

        var check = (await GetJsonAsync(server.Client, "/v1/agent/checks")).GetProperty("web-ttl");
        Assert.Equal(new string('x', 4096) + " ... (captured 4096 of 5000 bytes)", check.GetProperty("Output").GetString());
    }

    [Theory]
    [InlineData("""{"Status":"ok"}""", "Invalid check status: 'ok'")]
    [InlineData("""{"Output":"x"}""", "Invalid check status: ''")]
    [InlineData("""{"Status":1}""", "Request decode failed: 'Status' expected type 'string', got unconvertible type 'float64'")]
    public async Task Update_BadBody_400(string body, string expected)
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, WithTtl);

        using var response = await PutAsync(server.Client, "/v1/agent/check/update/web-ttl", body);

        await AssertTextAsync(response, 400, expected);
        Assert.Equal(HealthStatus.Critical, server.Catalog.GetInstance("web-1")!.Instance.Checks[0].Status);
    }

    [Theory]
    [InlineData("/v1/agent/check/pass/nope")]
    [InlineData("/v1/agent/check/fail/service:web")]
    public async Task Report_UnknownCheck_404ConsulText(string path)
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, WithTtl);

        using var response = await PutAsync(server.Client, path);

        var id = path[(path.LastIndexOf('/') + 1)..];
        await AssertTextAsync(response, 404, $"Unknown check ID \"{id}\". Ensure that the check ID is passed, not the check name.");
    }

    [Fact]
    public async Task Report_NonTtlCheck_500AsConsulAndStatusUnchanged()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, WithTtl);

        using var response = await PutAsync(server.Client, "/v1/agent/check/pass/web-tcp");

        await AssertTextAsync(response, 500, "CheckID \"web-tcp\" does not have associated TTL");
        Assert.Equal(HealthStatus.Critical, server.Catalog.GetInstance("web-1")!.Instance.Checks[1].Status);
    }

    [Fact]
    public async Task Report_Get_405()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, WithTtl);

        using var response = await server.Client.GetAsync("/v1/agent/check/pass/web-ttl");

        await AssertTextAsync(response, 405, "method GET not allowed");
    }

    [Fact]
    public async Task Tokens_AllThreeForms_Accepted()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, WithTtl);

        using var query = await PutAsync(server.Client, "/v1/agent/check/pass/web-ttl?token=secret");
        using var header = new HttpRequestMessage(HttpMethod.Get, "/v1/agent/services") { Headers = { { "X-Consul-Token", "secret" } } };
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/v1/health/service/web") { Headers = { { "Authorization", "Bearer secret" } } };
        using var headerResponse = await server.Client.SendAsync(header);
        using var bearerResponse = await server.Client.SendAsync(bearer);

        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(HttpStatusCode.OK, headerResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearerResponse.StatusCode);
    }
}

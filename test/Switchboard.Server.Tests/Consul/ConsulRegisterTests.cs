using System.Net;
using Switchboard.Instances;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.Consul;

public sealed class ConsulRegisterTests
{
    [Fact]
    public async Task Register_Success_200EmptyBodyNoLease()
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await PutAsync(server.Client, "/v1/agent/service/register", Redis);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var instance = server.Catalog.GetInstance("redis1")!.Instance;
        Assert.Null(instance.Ttl);
        Assert.Equal("redis", instance.ServiceName);
        Assert.Equal(10, instance.Weight);
    }

    [Theory]
    [InlineData("""{"name":"web","port":80,"enable_tag_override":true,"tags":["a"],"check":{"ttl":"30s","check_id":"web-ttl"}}""")]
    [InlineData("""{"NAME":"web","PORT":80,"EnableTagOverride":true,"TAGS":["a"],"Check":{"TTL":"30s","CheckID":"web-ttl"}}""")]
    [InlineData("""{"Name":"web","Port":80,"enabletagoverride":true,"Tags":["a"],"check":{"Ttl":"30s","ID":"web-ttl"}}""")]
    public async Task Register_KeysCaseInsensitiveAndSnakeCase_SameRegistration(string body)
    {
        await using var server = await RegistryServer.StartAsync();

        await RegisterAsync(server.Client, body);

        var service = (await GetJsonAsync(server.Client, "/v1/agent/services")).GetProperty("web");
        Assert.True(service.GetProperty("EnableTagOverride").GetBoolean());
        Assert.Equal("a", service.GetProperty("Tags")[0].GetString());
        var check = (await GetJsonAsync(server.Client, "/v1/agent/checks")).GetProperty("web-ttl");
        Assert.Equal("ttl", check.GetProperty("Type").GetString());
    }

    [Fact]
    public async Task Register_NoId_IdDefaultsToName()
    {
        await using var server = await RegistryServer.StartAsync();

        await RegisterAsync(server.Client, """{"Name":"billing","Port":9000}""");

        Assert.Equal("billing", server.Catalog.GetService("billing")!.Instances.Single().InstanceId);
    }

    [Fact]
    public async Task Register_NoAddress_NodeAddress()
    {
        await using var server = await RegistryServer.StartAsync();

        await RegisterAsync(server.Client, """{"Name":"billing","Port":9000}""");

        Assert.Equal("127.0.0.1", server.Catalog.GetInstance("billing")!.Instance.Host);
    }

    [Fact]
    public async Task Register_UppercaseAndUnderscore_MappedAndFoundUnderOriginalName()
    {
        await using var server = await RegistryServer.StartAsync();

        await RegisterAsync(server.Client, """{"Name":"Payment_Gateway","Port":9000}""");

        var instance = server.Catalog.GetInstance("Payment_Gateway")!.Instance; // the ID keeps the name as sent
        Assert.Equal("payment-gateway", instance.ServiceName);
        Assert.Single((await GetJsonAsync(server.Client, "/v1/health/service/Payment_Gateway")).EnumerateArray());
        Assert.Single((await GetJsonAsync(server.Client, "/v1/catalog/service/payment-gateway")).EnumerateArray());
        Assert.True((await GetJsonAsync(server.Client, "/v1/catalog/services")).TryGetProperty("payment-gateway", out _));
    }

    [Theory]
    [InlineData("""{"Name":"has space","Port":1}""", "Invalid service name \"has space\"")]
    [InlineData("""{"Name":"-edge","Port":1}""", "Invalid service name \"-edge\"")]
    public async Task Register_NameThatCannotMap_400NothingRegistered(string body, string expectedStart)
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await PutAsync(server.Client, "/v1/agent/service/register", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expectedStart, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Theory]
    [InlineData("", "Request decode failed: EOF")]
    [InlineData("{", "Request decode failed: invalid JSON at line 1, byte 1")]
    [InlineData("[]", "Request decode failed: 'body' expected a map, got '[]interface {}'")]
    [InlineData("""{"Name":"web","Port":"80"}""", "Request decode failed: 'Port' expected type 'int', got unconvertible type 'string'")]
    [InlineData("""{"Name":"web","Port":80,"Tags":"a"}""", "Request decode failed: 'Tags' expected type '[]string', got unconvertible type 'string'")]
    [InlineData("""{"Name":"web","Port":80,"Check":{"TTL":"soon"}}""", "Request decode failed: time: invalid duration \"soon\"")]
    [InlineData("""{"Port":80}""", "Missing service name")]
    [InlineData("""{"Name":"web","Port":80,"Address":"0.0.0.0"}""", "Invalid service address")]
    [InlineData("""{"Name":"web","Port":80,"Weights":{"Passing":0,"Warning":1}}""", "Invalid Weights: Passing must be greater than 0")]
    [InlineData("""{"Name":"web","Port":80,"Meta":{"consul-x":"1"}}""", "Invalid Service Meta: Couldn't load metadata pair ('consul-x', '1'): Key prefix 'consul-' is reserved for internal use")]
    [InlineData("""{"Name":"web","Port":80,"Meta":{"a b":"1"}}""", "Invalid Service Meta: Couldn't load metadata pair ('a b', '1'): Key contains invalid characters")]
    [InlineData("""{"Name":"web","Port":80,"Check":{"HTTP":"http://127.0.0.1/health"}}""", "Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks")]
    [InlineData("""{"Name":"web","Port":80,"Checks":[{"Name":"nothing"}]}""", "Invalid check: TTL must be > 0 for TTL checks")]
    [InlineData("""{"Name":"web","Port":80,"Check":{"TTL":"10s","Interval":"10s"}}""", "Invalid check: Interval and TTL cannot both be specified")]
    [InlineData("""{"Name":"web","Port":80,"Check":{"Args":["/bin/true"],"Interval":"10s"}}""", "Invalid check: Switchboard runs HTTP, TCP and TTL checks only; a check with Args is not supported")]
    [InlineData("""{"Name":"web","Port":80,"Check":{"HTTP":"http://h/","Interval":"10s","Method":"POST"}}""", "Invalid check: Switchboard's HTTP checks send GET; Method \"POST\" is not supported")]
    [InlineData("""{"Name":"web","Port":80,"Check":{"TTL":"10s","Status":"ok"}}""", "Status for checks must 'passing', 'warning', 'critical'")]
    [InlineData("""{"Name":"web","Port":80,"Kind":"connect-proxy"}""", "Invalid service kind \"connect-proxy\": Switchboard has no service mesh, so only typical services (no Kind) can be registered")]
    [InlineData("""{"Name":"web"}""", "Invalid service port 0: Switchboard needs the Port (1 to 65535) callers reach the service on")]
    [InlineData("""{"Name":"web","ID":"web/1","Port":80}""", "Validation failed: ID must contain only letters, digits and - _ . :.")]
    [InlineData("""{"Name":"web","Port":80,"Check":{"TTL":"500ms"}}""", "Validation failed: Check.TTL must be between 1000 ms and 7 days.")]
    public async Task Register_BadInput_400PlainTextNothingRegistered(string body, string expected)
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await PutAsync(server.Client, "/v1/agent/service/register", body);

        await AssertTextAsync(response, 400, expected);
        Assert.Equal(0, server.Catalog.InstanceCount);
        Assert.Equal("1", response.Headers.GetValues("X-Consul-Index").Single());
    }

    [Fact]
    public async Task Register_InvalidReRegistration_PreviousRegistrationUntouched()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Redis);
        var before = server.Catalog.GetInstance("redis1")!.Instance;

        using var response = await PutAsync(server.Client, "/v1/agent/service/register", """{"ID":"redis1","Name":"redis","Port":8000,"Check":{"HTTP":"http://h/"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Same(before, server.Catalog.GetInstance("redis1")!.Instance);
    }

    [Fact]
    public async Task Register_CheckIdOfAnotherService_400()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"Name":"a","Port":1,"Check":{"CheckID":"shared","TTL":"10s"}}""");

        using var response = await PutAsync(server.Client, "/v1/agent/service/register", """{"Name":"b","Port":1,"Check":{"CheckID":"shared","TTL":"10s"}}""");

        await AssertTextAsync(response, 400, "Invalid check: CheckID \"shared\" already belongs to service \"a\"");
        Assert.Null(server.Catalog.GetInstance("b"));
    }

    [Fact]
    public async Task Register_Checks_ConsulDefaultsAndMinimums()
    {
        await using var server = await RegistryServer.StartAsync();

        // A JSON number is nanoseconds, as Consul reads it: 100 ns is raised to Consul's 1 s minimum.
        await RegisterAsync(server.Client, """
            {"Name":"web","Port":80,"Checks":[
              {"TCP":"127.0.0.1:80","Interval":100,"DeregisterCriticalServiceAfter":"10s"},
              {"TTL":"30s","Status":"passing","Name":"heartbeat"}]}
            """);

        var checks = server.Catalog.GetInstance("web")!.Instance.Checks;
        Assert.Equal(["service:web:1", "service:web:2"], checks.Select(c => c.CheckId));
        Assert.Equal(TimeSpan.FromSeconds(1), checks[0].Spec.Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), checks[0].Spec.Timeout); // Consul's default probe timeout
        Assert.Equal(TimeSpan.FromMinutes(1), checks[0].Spec.DeregisterCriticalAfter);
        Assert.Equal(HealthStatus.Critical, checks[0].Status); // Consul: checks start critical
        Assert.Equal("Service 'web' check", checks[0].Spec.Name);
        Assert.Equal(HealthStatus.Passing, checks[1].Status);
        Assert.Equal("heartbeat", checks[1].Spec.Name);
    }

    [Fact]
    public async Task Register_WarningWeightAndTagOverride_KeptAndShownAsConsulFields()
    {
        await using var server = await RegistryServer.StartAsync();

        await RegisterAsync(server.Client, """{"Name":"web","Port":80,"EnableTagOverride":true,"Weights":{"Passing":3,"Warning":0},"Meta":{"team":"a"}}""");

        var service = (await GetJsonAsync(server.Client, "/v1/agent/services")).GetProperty("web");
        Assert.Equal(0, service.GetProperty("Weights").GetProperty("Warning").GetInt32());
        Assert.Equal(3, service.GetProperty("Weights").GetProperty("Passing").GetInt32());
        Assert.True(service.GetProperty("EnableTagOverride").GetBoolean());
        Assert.Equal(["team"], Keys(service.GetProperty("Meta")));
    }

    [Fact]
    public async Task Deregister_Known_200EmptyAndGone()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Redis);

        using var response = await PutAsync(server.Client, "/v1/agent/service/deregister/redis1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Null(server.Catalog.GetInstance("redis1"));
        Assert.Null(server.Catalog.FindCheck("service:redis1"));
    }

    [Fact]
    public async Task Deregister_Unknown_404ConsulText()
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await PutAsync(server.Client, "/v1/agent/service/deregister/redis");

        await AssertTextAsync(response, 404, "Unknown service ID \"redis\". Ensure that the service ID is passed, not the service name.");
        Assert.Equal("1", response.Headers.GetValues("X-Consul-Index").Single());
    }

    [Fact]
    public async Task Register_WrongMethod_405()
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await server.Client.PostAsync("/v1/agent/service/register", new StringContent(Redis));

        await AssertTextAsync(response, 405, "method POST not allowed");
        Assert.Equal("PUT", response.Content.Headers.Allow.Single());
    }
}

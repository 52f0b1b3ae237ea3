using System.Text.Json;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registration;

namespace Switchboard.Abstractions.Tests.Json;

public sealed class WireFormatTests
{
    [Fact]
    public void Registration_SeedBody_Deserializes()
    {
        const string body = """
            {"service_name":"user-service","host":"localhost","port":8080,"protocol":"http","path":"/api/v1",
             "health_check_path":"/health","metadata":{"version":"1.0.0","environment":"production"},
             "tags":["api","user","web"],"ttl":"30s","check":{"kind":"http","http":"/health","interval":5,"deregister_critical_after":"1m"}}
            """;

        var reg = JsonSerializer.Deserialize(body, SwitchboardJsonContext.Default.ServiceRegistration)!;

        Assert.Equal("user-service", reg.ServiceName);
        Assert.Equal(8080, reg.Port);
        Assert.Equal(TimeSpan.FromSeconds(30), reg.Ttl);
        Assert.Equal(HealthCheckKind.Http, reg.Check!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(5), reg.Check.Interval);
        Assert.Equal(TimeSpan.FromMinutes(1), reg.Check.DeregisterCriticalAfter);
    }

    [Theory]
    [InlineData("""{"port":"8080"}""")]
    [InlineData("""{"ttl":"forever"}""")]
    [InlineData("""{"check":{"kind":"grpc"}}""")]
    [InlineData("""{"tags":"api"}""")]
    public void Registration_WrongTypes_Throw(string body)
        => Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(body, SwitchboardJsonContext.Default.ServiceRegistration));

    [Fact]
    public void Instance_Serializes_SnakeCaseWithBaseUrlAndStatusName()
    {
        var instance = new ServiceInstance { InstanceId = "a", ServiceName = "svc", Host = "h", Port = 1, Status = HealthStatus.Warning, Ttl = TimeSpan.FromSeconds(90) };

        var json = JsonSerializer.Serialize(instance, SwitchboardJsonContext.Default.ServiceInstance);

        Assert.Contains("\"base_url\":\"http://h:1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"warning\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ttl\":\"1m30s\"", json, StringComparison.Ordinal);
        Assert.Contains("\"checks\":[]", json, StringComparison.Ordinal);
        Assert.DoesNotContain("effective", json, StringComparison.Ordinal);
    }
}

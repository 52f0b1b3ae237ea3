using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Instances;
using Switchboard.Registry.Health;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.Health;

/// <summary>A check may reach its instance's own host, plus listed networks; link-local (metadata) addresses only when listed.</summary>
public sealed class CheckTargetTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("""{"kind":"http","http":"http://169.254.169.254/latest/meta-data/"}""", "checks[0].http", "link-local")]
    [InlineData("""{"kind":"tcp","tcp":"169.254.169.254:80"}""", "checks[0].tcp", "link-local")]
    [InlineData("""{"kind":"http","http":"http://10.9.9.9:8080/admin"}""", "checks[0].http", "not the instance's own host")]
    [InlineData("""{"kind":"tcp","tcp":"internal-db:5432"}""", "checks[0].tcp", "not the instance's own host")]
    public async Task NativeRegistration_CheckAimedElsewhere_Is400NamingTheField_AndNothingIsRegistered(string check, string field, string reason)
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await server.Client.PostAsync("/service-discovery/register",
            Json($$"""{"service_name":"orders","host":"127.0.0.1","port":8080,"check":{{check}}}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Fact]
    public async Task NativeRegistration_InstanceAtAMetadataAddress_WithACheck_Is400()
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await server.Client.PostAsync("/service-discovery/register",
            Json("""{"service_name":"orders","host":"169.254.169.254","port":80,"check":{"kind":"http","http":"/latest/meta-data/"}}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Fact]
    public async Task ConsulRegistration_CheckAimedAtMetadata_Is400InvalidCheck()
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await PutAsync(server.Client, "/v1/agent/service/register",
            """{"ID":"web1","Name":"web","Address":"127.0.0.1","Port":80,"Check":{"HTTP":"http://169.254.169.254/","Interval":"10s"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Invalid check: checks[0].http targets 169.254.169.254", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Fact]
    public async Task OwnHostAndRelativePaths_AreAccepted()
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await server.Client.PostAsync("/service-discovery/register",
            Json("""{"service_name":"orders","host":"127.0.0.1","port":8080,"checks":[{"kind":"http","http":"/health"},{"kind":"http","http":"http://127.0.0.1:9090/ready"},{"kind":"tcp","tcp":"127.0.0.1:8080"}]}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public void Policy_ListedNetworksAndHosts_AreAllowed_LinkLocalOnlyWhenListed()
    {
        var options = new CheckTargetOptions();
        options.AllowedNetworks.Add("10.0.0.0/8");
        options.AllowedNetworks.Add("internal-db");
        var policy = new CheckTargetPolicy(options);
        var instance = new ServiceInstance { InstanceId = "a", ServiceName = "a", Host = "127.0.0.1", Port = 1 };

        string? Refusal(string tcp) => policy.Refusal(instance with { Checks = [new InstanceCheck("c", new() { Kind = Registration.HealthCheckKind.Tcp, Tcp = tcp }, HealthStatus.Passing, "")] }, 0, out _);

        Assert.Null(Refusal("10.1.2.3:80"));
        Assert.Null(Refusal("internal-db:5432"));
        Assert.NotNull(Refusal("192.168.1.1:80"));
        Assert.NotNull(Refusal("169.254.169.254:80"));
        Assert.False(policy.MayConnect(IPAddress.Parse("169.254.169.254")));
        Assert.False(policy.MayConnect(IPAddress.Parse("fe80::1")));
        Assert.True(policy.MayConnect(IPAddress.Parse("10.0.0.1")));

        options.AllowedNetworks.Add("169.254.169.254");
        Assert.True(new CheckTargetPolicy(options).MayConnect(IPAddress.Parse("169.254.169.254")));
    }

    [Theory]
    [InlineData("10.0.0.0/99")]
    [InlineData("not a host!")]
    [InlineData(" ")]
    public void Options_AnEntryThatIsNoNetworkAddressOrHostName_FailsValidationNamingIt(string entry)
    {
        var options = new CheckTargetOptions();
        options.AllowedNetworks.Add(entry);

        var failure = Assert.Single(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));

        Assert.Contains("AllowedNetworks:0", failure.ErrorMessage, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Instances;
using static Switchboard.Server.Tests.Eureka.EurekaHttp;

namespace Switchboard.Server.Tests.Eureka;

/// <summary>One catalog: Eureka registrations are seen by the native and Consul APIs and the reverse; statuses map both ways.</summary>
public sealed class EurekaInteropTests
{
    [Fact]
    public async Task EurekaInstance_IsANativeInstance_NamedInLowercase_WithItsFieldsInMetadata()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "EUREKACLIENT", SampleJson);

        var instance = server.Catalog.GetInstance("Home:eurekaclient:8080")!.Instance;

        Assert.Equal("eurekaclient", instance.ServiceName);
        Assert.Equal("192.168.31.173", instance.Host);
        Assert.Equal(8080, instance.Port);
        Assert.Equal("http", instance.Protocol);
        Assert.Equal(TimeSpan.FromSeconds(90), instance.Ttl);
        Assert.Empty(instance.Checks); // healthCheckUrl is kept, not probed
        Assert.Equal("http://Home:8080/actuator/health", instance.Metadata["eureka-health-check-url"]);
        Assert.Equal("8080", instance.Metadata["management.port"]);
    }

    [Fact]
    public async Task NativeInstance_IsListedByEureka_UpperCase_WithDerivedFields()
    {
        await using var server = await RegistryServer.StartAsync();
        using var registered = await server.Client.PostAsJsonAsync("/service-discovery/register", new { service_name = "inventory", instance_id = "inventory-1", host = "10.0.0.5", port = 9443, protocol = "https", ttl = "0s" }, TestContext.Current.CancellationToken);
        Assert.True(registered.IsSuccessStatusCode);

        var instance = (await GetJsonAsync(server.Client, "/eureka/apps/INVENTORY/inventory-1")).GetProperty("instance");

        Assert.Equal("INVENTORY", instance.GetProperty("app").GetString());
        Assert.Equal("10.0.0.5", instance.GetProperty("hostName").GetString());
        Assert.Equal("UP", instance.GetProperty("status").GetString());
        Assert.Equal("false", instance.GetProperty("port").GetProperty("@enabled").GetString());
        Assert.Equal(9443, instance.GetProperty("securePort").GetProperty("$").GetInt32());
        Assert.Equal("true", instance.GetProperty("securePort").GetProperty("@enabled").GetString());
        Assert.Equal("inventory", instance.GetProperty("vipAddress").GetString());
        Assert.Equal("https://10.0.0.5:9443/", instance.GetProperty("homePageUrl").GetString());
        Assert.Equal(0, instance.GetProperty("leaseInfo").GetProperty("durationInSecs").GetInt32());
    }

    [Theory]
    [InlineData("DOWN")]
    [InlineData("STARTING")]
    [InlineData("OUT_OF_SERVICE")]
    [InlineData("UNKNOWN")]
    public async Task NotUpAtRegistration_IsCritical_AndKeepsItsEurekaStatus(string status)
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1", status: status));

        var passing = await PassingAsync(server, "orders");
        var shown = (await GetJsonAsync(server.Client, "/eureka/apps/ORDERS/orders-1")).GetProperty("instance");

        Assert.Equal(0, passing);
        Assert.Equal(HealthStatus.Critical, server.Catalog.GetInstance("orders-1")!.Instance.Status);
        Assert.Equal(status, shown.GetProperty("status").GetString());
        // A re-registration as UP (what a Eureka client does when its status changes) makes it passing; a renewal keeps it so.
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));
        using var renewed = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/ORDERS/orders-1");
        Assert.Equal(1, await PassingAsync(server, "orders"));
    }

    [Fact]
    public async Task OutOfServiceOverride_IsMaintenance_SurvivesRenewals_AndIsRemovedByDelete()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));

        using var put = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/ORDERS/orders-1/status?value=OUT_OF_SERVICE");
        using var renewed = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/ORDERS/orders-1");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(0, await PassingAsync(server, "orders"));
        var maintenance = Assert.Single(server.Catalog.GetInstance("orders-1")!.Instance.Checks);
        Assert.StartsWith("_service_maintenance:", maintenance.CheckId, StringComparison.Ordinal);
        var shown = (await GetJsonAsync(server.Client, "/eureka/apps/ORDERS/orders-1")).GetProperty("instance");
        Assert.Equal("OUT_OF_SERVICE", shown.GetProperty("status").GetString());
        Assert.Equal("OUT_OF_SERVICE", shown.GetProperty("overriddenStatus").GetString());

        using var removed = await SendAsync(server.Client, HttpMethod.Delete, "/eureka/apps/ORDERS/orders-1/status");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(1, await PassingAsync(server, "orders"));
        Assert.Equal("UP", (await GetJsonAsync(server.Client, "/eureka/apps/ORDERS/orders-1")).GetProperty("instance").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ConsulMaintenance_IsShownAsOutOfService()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));

        using var maintenance = await server.Client.PutAsync("/v1/agent/service/maintenance/orders-1?enable=true&reason=deploy", null, TestContext.Current.CancellationToken);

        Assert.True(maintenance.IsSuccessStatusCode);
        var apps = await GetJsonAsync(server.Client, "/eureka/apps");
        Assert.Equal("OUT_OF_SERVICE_1_", apps.GetProperty("applications").GetProperty("apps__hashcode").GetString());
    }

    [Fact]
    public async Task MetadataUpdate_AddsEntries_KeepsTheOthers_NeverStoresTheToken()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "EUREKACLIENT", SampleJson);

        using var update = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/EUREKACLIENT/Home:eurekaclient:8080/metadata?zone=eu-1&management.port=9090&token=not-metadata");
        using var reserved = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/EUREKACLIENT/Home:eurekaclient:8080/metadata?eureka-status=DOWN");

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reserved.StatusCode);
        var metadata = (await GetJsonAsync(server.Client, "/eureka/instances/Home:eurekaclient:8080")).GetProperty("instance").GetProperty("metadata");
        Assert.Equal(["jmx.port", "management.port", "owner", "zone"], Keys(metadata));
        Assert.Equal("9090", metadata.GetProperty("management.port").GetString());
        Assert.Equal("eu-1", metadata.GetProperty("zone").GetString());
    }

    [Fact]
    public async Task Cancel_RemovesTheInstanceFromEveryApi()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));

        using var cancel = await SendAsync(server.Client, HttpMethod.Delete, "/eureka/apps/ORDERS/orders-1");
        using var app = await SendAsync(server.Client, HttpMethod.Get, "/eureka/apps/ORDERS");

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, app.StatusCode);
        Assert.Null(server.Catalog.GetInstance("orders-1"));
    }

    private static async Task<int> PassingAsync(RegistryServer server, string service)
    {
        using var response = await server.Client.GetAsync($"/v1/health/service/{service}?passing");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetArrayLength();
    }
}

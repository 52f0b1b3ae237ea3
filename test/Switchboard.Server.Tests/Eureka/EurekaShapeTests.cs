using System.Text.Json;
using System.Xml.Linq;
using static Switchboard.Server.Tests.Eureka.EurekaHttp;

namespace Switchboard.Server.Tests.Eureka;

/// <summary>
/// The JSON and XML shapes, field by field, against Eureka's documented answers (the Eureka REST operations wiki, the
/// <c>/eureka/apps</c> answer of a Spring Cloud client, Eureka's own <c>EurekaJacksonCodec</c>): the sample registered in
/// one encoding is read back in both.
/// </summary>
public sealed class EurekaShapeTests
{
    [Theory]
    [InlineData("application/json")]
    [InlineData("application/xml")]
    public async Task Applications_Json_DocumentedSample_FieldByField(string registeredAs)
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "EUREKACLIENT", registeredAs == "application/json" ? SampleJson : SampleXml, registeredAs);
        var registered = server.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var root = await GetJsonAsync(server.Client, "/eureka/apps");

        Assert.Equal(["applications"], Keys(root));
        var applications = root.GetProperty("applications");
        Assert.Equal(["versions__delta", "apps__hashcode", "application"], Keys(applications));
        Assert.Equal("1", applications.GetProperty("versions__delta").GetString());
        Assert.Equal("UP_1_", applications.GetProperty("apps__hashcode").GetString());
        var application = Assert.Single(applications.GetProperty("application").EnumerateArray());
        Assert.Equal(["name", "instance"], Keys(application));
        Assert.Equal("EUREKACLIENT", application.GetProperty("name").GetString());
        var instance = Assert.Single(application.GetProperty("instance").EnumerateArray());
        Assert.Equal(InstanceFields, Keys(instance));
        Assert.Equal("Home:eurekaclient:8080", instance.GetProperty("instanceId").GetString());
        Assert.Equal("Home", instance.GetProperty("hostName").GetString());
        Assert.Equal("EUREKACLIENT", instance.GetProperty("app").GetString());
        Assert.Equal("192.168.31.173", instance.GetProperty("ipAddr").GetString());
        Assert.Equal("UP", instance.GetProperty("status").GetString());
        Assert.Equal("UNKNOWN", instance.GetProperty("overriddenStatus").GetString());
        Assert.Equal(["$", "@enabled"], Keys(instance.GetProperty("port")));
        Assert.Equal(8080, instance.GetProperty("port").GetProperty("$").GetInt32());
        Assert.Equal("true", instance.GetProperty("port").GetProperty("@enabled").GetString());
        Assert.Equal(443, instance.GetProperty("securePort").GetProperty("$").GetInt32());
        Assert.Equal("false", instance.GetProperty("securePort").GetProperty("@enabled").GetString());
        Assert.Equal(JsonValueKind.Number, instance.GetProperty("countryId").ValueKind);
        Assert.Equal(1, instance.GetProperty("countryId").GetInt32());
        var dataCenter = instance.GetProperty("dataCenterInfo");
        Assert.Equal(["@class", "name"], Keys(dataCenter));
        Assert.Equal("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", dataCenter.GetProperty("@class").GetString());
        Assert.Equal("MyOwn", dataCenter.GetProperty("name").GetString());
        var lease = instance.GetProperty("leaseInfo");
        Assert.Equal(["renewalIntervalInSecs", "durationInSecs", "registrationTimestamp", "lastRenewalTimestamp", "evictionTimestamp", "serviceUpTimestamp"], Keys(lease));
        Assert.Equal(30, lease.GetProperty("renewalIntervalInSecs").GetInt32());
        Assert.Equal(90, lease.GetProperty("durationInSecs").GetInt32());
        Assert.Equal(registered, lease.GetProperty("registrationTimestamp").GetRawText());
        Assert.Equal(0, lease.GetProperty("evictionTimestamp").GetInt64());
        Assert.Equal(registered, lease.GetProperty("serviceUpTimestamp").GetRawText());
        var metadata = instance.GetProperty("metadata");
        Assert.Equal(["jmx.port", "management.port", "owner"], Keys(metadata));
        Assert.Equal("R&D <core>", metadata.GetProperty("owner").GetString());
        Assert.Equal("8080", metadata.GetProperty("management.port").GetString());
        Assert.Equal("http://Home:8080/", instance.GetProperty("homePageUrl").GetString());
        Assert.Equal("http://Home:8080/actuator/info", instance.GetProperty("statusPageUrl").GetString());
        Assert.Equal("http://Home:8080/actuator/health", instance.GetProperty("healthCheckUrl").GetString());
        Assert.Equal("eurekaclient", instance.GetProperty("vipAddress").GetString());
        Assert.Equal("eurekaclient", instance.GetProperty("secureVipAddress").GetString());
        Assert.Equal("false", instance.GetProperty("isCoordinatingDiscoveryServer").GetString());
        Assert.Equal(registered, instance.GetProperty("lastUpdatedTimestamp").GetString());
        Assert.Equal("1759835253497", instance.GetProperty("lastDirtyTimestamp").GetString());
        Assert.Equal("ADDED", instance.GetProperty("actionType").GetString());
    }

    [Fact]
    public async Task Applications_Xml_DocumentedSample_FieldByField()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "EUREKACLIENT", SampleJson);

        var root = await GetXmlAsync(server.Client, "/eureka/apps");

        Assert.Equal("applications", root.Name.LocalName);
        Assert.Equal(["versions__delta", "apps__hashcode", "application"], root.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("UP_1_", root.Element("apps__hashcode")!.Value);
        var application = root.Element("application")!;
        Assert.Equal(["name", "instance"], application.Elements().Select(e => e.Name.LocalName));
        var instance = application.Element("instance")!;
        Assert.Equal(InstanceFields.Select(f => f == "overriddenStatus" ? "overriddenstatus" : f), instance.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("UNKNOWN", instance.Element("overriddenstatus")!.Value);
        Assert.Equal("true", instance.Element("port")!.Attribute("enabled")!.Value);
        Assert.Equal("8080", instance.Element("port")!.Value);
        Assert.Equal("false", instance.Element("securePort")!.Attribute("enabled")!.Value);
        Assert.Equal("443", instance.Element("securePort")!.Value);
        var dataCenter = instance.Element("dataCenterInfo")!;
        Assert.Equal("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", dataCenter.Attribute("class")!.Value);
        Assert.Equal("MyOwn", dataCenter.Element("name")!.Value);
        Assert.Equal(["renewalIntervalInSecs", "durationInSecs", "registrationTimestamp", "lastRenewalTimestamp", "evictionTimestamp", "serviceUpTimestamp"],
            instance.Element("leaseInfo")!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("63088", instance.Element("metadata")!.Element("jmx.port")!.Value);
        Assert.Equal("R&D <core>", instance.Element("metadata")!.Element("owner")!.Value);
        Assert.Equal("http://Home:8080/actuator/health", instance.Element("healthCheckUrl")!.Value);
    }

    [Fact]
    public async Task EmptyMetadata_CarriesEurekasEmptyMapMarker_InBothEncodings()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));

        var json = await GetJsonAsync(server.Client, "/eureka/apps/ORDERS/orders-1");
        var xml = await GetXmlAsync(server.Client, "/eureka/instances/orders-1");

        Assert.Equal(["instance"], Keys(json));
        Assert.Equal("java.util.Collections$EmptyMap", json.GetProperty("instance").GetProperty("metadata").GetProperty("@class").GetString());
        Assert.Equal("instance", xml.Name.LocalName);
        Assert.Equal("java.util.Collections$EmptyMap", xml.Element("metadata")!.Attribute("class")!.Value);
        Assert.Empty(xml.Element("metadata")!.Elements());
    }

    [Fact]
    public async Task Application_AndHashCode_CountEachStatus()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-2", 8081));
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-3", 8082, status: "DOWN"));

        var application = await GetJsonAsync(server.Client, "/eureka/apps/orders");
        var apps = await GetJsonAsync(server.Client, "/eureka/apps");
        var delta = await GetJsonAsync(server.Client, "/eureka/v2/apps/delta");

        Assert.Equal(["application"], Keys(application));
        Assert.Equal("ORDERS", application.GetProperty("application").GetProperty("name").GetString());
        Assert.Equal(3, application.GetProperty("application").GetProperty("instance").GetArrayLength());
        Assert.Equal("DOWN_1_UP_2_", apps.GetProperty("applications").GetProperty("apps__hashcode").GetString());
        Assert.Equal("DOWN_1_UP_2_", delta.GetProperty("applications").GetProperty("apps__hashcode").GetString());
        Assert.All(delta.GetProperty("applications").GetProperty("application")[0].GetProperty("instance").EnumerateArray(),
            i => Assert.Equal("MODIFIED", i.GetProperty("actionType").GetString()));
    }

    [Fact]
    public async Task Vips_ListTheInstancesOfAVipAddress()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "EUREKACLIENT", SampleJson);
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));

        var vip = await GetJsonAsync(server.Client, "/eureka/vips/eurekaclient");
        var svip = await GetXmlAsync(server.Client, "/eureka/svips/orders");
        using var none = await SendAsync(server.Client, HttpMethod.Get, "/eureka/vips/nothing");

        var application = Assert.Single(vip.GetProperty("applications").GetProperty("application").EnumerateArray());
        Assert.Equal("EUREKACLIENT", application.GetProperty("name").GetString());
        Assert.Equal("ORDERS", svip.Element("application")!.Element("name")!.Value);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact]
    public async Task NoAcceptHeader_AnswersXml_AsEurekaDoes()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));

        using var response = await server.Client.GetAsync("/eureka/apps");

        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("applications", XElement.Parse(await response.Content.ReadAsStringAsync()).Name.LocalName);
    }

    [Fact]
    public async Task TrailingSlash_AsJavaClientsSendIt_IsTheSameRoute()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS/", Instance("ORDERS", "orders-1"));

        var apps = await GetJsonAsync(server.Client, "/eureka/apps/");

        Assert.Equal("ORDERS", apps.GetProperty("applications").GetProperty("application")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Delta_ListsTheLastThreeMinutesChanges_WithTheirActions_AndTheWholeRegistrysHashCode()
    {
        await using var server = await RegistryServer.StartAsync();
        const int week = 7 * 24 * 3600; // fake time moves by minutes below: the leases must outlive it
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1", durationInSecs: week));
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-2", 8081, durationInSecs: week));

        // The first delta request starts watching; until it has watched three minutes, every instance is listed.
        var first = await GetJsonAsync(server.Client, "/eureka/apps/delta");
        Assert.Equal(2, first.GetProperty("applications").GetProperty("application")[0].GetProperty("instance").GetArrayLength());
        var empty = await PollDeltaAsync(server, d => d.GetArrayLength() == 0, advance: true);

        await RegisterAsync(server.Client, "BILLING", Instance("BILLING", "billing-1", 8090, durationInSecs: week));
        using var cancel = await SendAsync(server.Client, HttpMethod.Delete, "/eureka/apps/ORDERS/orders-1");
        using var status = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/ORDERS/orders-2/status?value=OUT_OF_SERVICE");
        var changes = await PollDeltaAsync(server, d => d.EnumerateArray().Sum(a => a.GetProperty("instance").GetArrayLength()) == 3, advance: false);

        Assert.Empty(empty.EnumerateArray());
        var actions = changes.EnumerateArray().SelectMany(a => a.GetProperty("instance").EnumerateArray())
            .ToDictionary(i => i.GetProperty("instanceId").GetString()!, i => i.GetProperty("actionType").GetString());
        Assert.Equal("ADDED", actions["billing-1"]);
        Assert.Equal("DELETED", actions["orders-1"]);
        Assert.Equal("MODIFIED", actions["orders-2"]);
        var hash = (await GetJsonAsync(server.Client, "/eureka/apps/delta")).GetProperty("applications").GetProperty("apps__hashcode").GetString();
        Assert.Equal("OUT_OF_SERVICE_1_UP_1_", hash);

        // Three minutes later the changes have left the queue.
        server.Time.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await GetJsonAsync(server.Client, "/eureka/apps/delta")).GetProperty("applications").GetProperty("application").GetArrayLength());
    }

    /// <summary>Asks for the delta until <paramref name="done"/> (the queue is read by a background task), moving fake time past the first window when asked.</summary>
    private static async Task<JsonElement> PollDeltaAsync(RegistryServer server, Func<JsonElement, bool> done, bool advance)
    {
        JsonElement applications = default;
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if (advance)
                server.Time.Advance(TimeSpan.FromMinutes(4));
            applications = (await GetJsonAsync(server.Client, "/eureka/apps/delta")).GetProperty("applications").GetProperty("application");
            if (done(applications))
                return applications;
            await Task.Yield();
        }
        throw new Xunit.Sdk.XunitException($"the delta never matched; last: {applications}");
    }
}

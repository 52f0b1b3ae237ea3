using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace Switchboard.Server.Tests.Eureka;

/// <summary>Calls the Eureka API the way Eureka clients do, with the documented sample instance in both encodings.</summary>
internal static class EurekaHttp
{
    /// <summary>The instance of Eureka's documented <c>/eureka/apps</c> answer (Spring Cloud's <c>EUREKACLIENT</c>), as a client registers it.</summary>
    public const string SampleJson = """
        {"instance":{"instanceId":"Home:eurekaclient:8080","hostName":"Home","app":"EUREKACLIENT","ipAddr":"192.168.31.173",
         "status":"UP","overriddenstatus":"UNKNOWN","port":{"$":8080,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},
         "countryId":1,"dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"},
         "leaseInfo":{"renewalIntervalInSecs":30,"durationInSecs":90},
         "metadata":{"management.port":"8080","jmx.port":"63088","owner":"R&D <core>"},
         "homePageUrl":"http://Home:8080/","statusPageUrl":"http://Home:8080/actuator/info","healthCheckUrl":"http://Home:8080/actuator/health",
         "vipAddress":"eurekaclient","secureVipAddress":"eurekaclient","isCoordinatingDiscoveryServer":"false",
         "lastUpdatedTimestamp":"1759835254121","lastDirtyTimestamp":"1759835253497"}}
        """;

    /// <summary>The same instance in XML.</summary>
    public const string SampleXml = """
        <instance>
          <instanceId>Home:eurekaclient:8080</instanceId><hostName>Home</hostName><app>EUREKACLIENT</app><ipAddr>192.168.31.173</ipAddr>
          <status>UP</status><overriddenstatus>UNKNOWN</overriddenstatus>
          <port enabled="true">8080</port><securePort enabled="false">443</securePort><countryId>1</countryId>
          <dataCenterInfo class="com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo"><name>MyOwn</name></dataCenterInfo>
          <leaseInfo><renewalIntervalInSecs>30</renewalIntervalInSecs><durationInSecs>90</durationInSecs></leaseInfo>
          <metadata><management.port>8080</management.port><jmx.port>63088</jmx.port><owner>R&amp;D &lt;core&gt;</owner></metadata>
          <homePageUrl>http://Home:8080/</homePageUrl><statusPageUrl>http://Home:8080/actuator/info</statusPageUrl>
          <healthCheckUrl>http://Home:8080/actuator/health</healthCheckUrl>
          <vipAddress>eurekaclient</vipAddress><secureVipAddress>eurekaclient</secureVipAddress>
          <isCoordinatingDiscoveryServer>false</isCoordinatingDiscoveryServer>
          <lastUpdatedTimestamp>1759835254121</lastUpdatedTimestamp><lastDirtyTimestamp>1759835253497</lastDirtyTimestamp>
        </instance>
        """;

    /// <summary>Eureka's instance fields in the order its codec writes them (JSON names).</summary>
    public static readonly string[] InstanceFields =
    [
        "instanceId", "hostName", "app", "ipAddr", "status", "overriddenStatus", "port", "securePort", "countryId", "dataCenterInfo",
        "leaseInfo", "metadata", "homePageUrl", "statusPageUrl", "healthCheckUrl", "vipAddress", "secureVipAddress",
        "isCoordinatingDiscoveryServer", "lastUpdatedTimestamp", "lastDirtyTimestamp", "actionType",
    ];

    /// <summary>A minimal JSON instance of <paramref name="app"/>.</summary>
    public static string Instance(string app, string id, int port = 8080, string status = "UP", int durationInSecs = 90)
        => "{\"instance\":{\"instanceId\":\"" + id + "\",\"hostName\":\"127.0.0.1\",\"app\":\"" + app + "\",\"ipAddr\":\"127.0.0.1\",\"status\":\"" + status
            + "\",\"leaseInfo\":{\"durationInSecs\":" + durationInSecs.ToString(System.Globalization.CultureInfo.InvariantCulture) + "},\"port\":{\"$\":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"@enabled\":\"true\"},\"dataCenterInfo\":{\"@class\":\"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo\",\"name\":\"MyOwn\"}}}";

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body, string contentType = "application/json", string accept = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await client.SendAsync(request);
    }

    public static async Task RegisterAsync(HttpClient client, string app, string body, string contentType = "application/json")
    {
        using var response = await PostAsync(client, $"/eureka/apps/{app}", body, contentType);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.NoContent, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string accept = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await SendAsync(client, HttpMethod.Get, path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<XElement> GetXmlAsync(HttpClient client, string path)
    {
        using var response = await SendAsync(client, HttpMethod.Get, path, "application/xml");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return XElement.Parse(text);
    }

    /// <summary>The object's property names, in order.</summary>
    public static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}

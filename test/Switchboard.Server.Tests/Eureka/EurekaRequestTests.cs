using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Switchboard.Instances;
using static Switchboard.Server.Tests.Eureka.EurekaHttp;

namespace Switchboard.Server.Tests.Eureka;

/// <summary>Bad input gets 400 (or 404, 413) with the field named, in the encoding asked for; nothing is half-registered.</summary>
public sealed class EurekaRequestTests
{
    private const string DataCenter = "\"dataCenterInfo\":{\"name\":\"MyOwn\"}";

    public static TheoryData<string, string> BadJsonBodies => new()
    {
        { "{}", "instance" },
        { "{\"instance\":[]}", "instance" },
        { "not json", "body" },
        { $"{{\"instance\":{{\"hostName\":\"h\",\"port\":8080,{DataCenter}}}}}", "instance.app" },
        { $"{{\"instance\":{{\"app\":\"ORDERS\",\"port\":8080,{DataCenter}}}}}", "instance.hostName" },
        { $"{{\"instance\":{{\"app\":\"OTHER\",\"hostName\":\"h\",\"port\":8080}}}}", "instance.app" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":{\"$\":70000,\"@enabled\":\"true\"}}}", "instance.port" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":{\"$\":\"x\",\"@enabled\":\"true\"}}}", "instance.port" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":{\"$\":8080,\"@enabled\":\"false\"}}}", "instance.port" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":{\"$\":8080,\"@enabled\":\"maybe\"}}}", "instance.port.@enabled" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":8080,\"status\":\"SLEEPY\"}}", "instance.status" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":8080,\"leaseInfo\":{\"durationInSecs\":0}}}", "instance.leaseInfo.durationInSecs" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":8080,\"leaseInfo\":{\"durationInSecs\":\"soon\"}}}", "instance.leaseInfo.durationInSecs" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"instanceId\":\"a/b\",\"port\":8080}}", "instance.instanceId" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"ipAddr\":\"not a host!\",\"port\":8080}}", "instance.ipAddr" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":8080,\"metadata\":{\"eureka-status\":\"UP\"}}}", "instance.metadata.eureka-status" },
        { "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":8080,\"metadata\":{\"bad key\":\"v\"}}}", "instance.metadata" },
    };

    [Theory]
    [MemberData(nameof(BadJsonBodies))]
    public async Task Register_BadJson_Is400NamingTheField_AndRegistersNothing(string body, string field)
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await PostAsync(server.Client, "/eureka/apps/ORDERS", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected {field}: {text}");
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Theory]
    [InlineData("<instance><app>ORDERS</app><port>8080</port></instance>", "instance.hostName")]
    [InlineData("<app>ORDERS</app>", "instance")]
    [InlineData("<instance><app>ORDERS</app>", "body")]
    [InlineData("<instance><app>ORDERS</app><hostName>h</hostName><port enabled=\"true\">0</port></instance>", "instance.port")]
    [InlineData("<instance><app>ORDERS</app><hostName>h</hostName><port>8080</port><status>up-ish</status></instance>", "instance.status")]
    public async Task Register_BadXml_Is400NamingTheField_InXml(string body, string field)
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await PostAsync(server.Client, "/eureka/apps/ORDERS", body, "application/xml", "application/xml");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+xml", response.Content.Headers.ContentType?.MediaType);
        XNamespace ns = "urn:ietf:rfc:7807";
        Assert.Equal(field, XElement.Parse(text).Element(ns + "field")!.Value);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Fact]
    public async Task Register_XmlWithDtdOrExternalEntity_IsRefused_NothingIsRead()
    {
        await using var server = await RegistryServer.StartAsync();
        var secret = Path.Combine(Path.GetTempPath(), $"eureka-xxe-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(secret, "SECRET-HOST", TestContext.Current.CancellationToken);
        try
        {
            var body = $"""<?xml version="1.0"?><!DOCTYPE instance [<!ENTITY x SYSTEM "file://{secret}">]><instance><app>ORDERS</app><hostName>&x;</hostName><port>8080</port></instance>""";

            using var response = await PostAsync(server.Client, "/eureka/apps/ORDERS", body, "application/xml", "application/xml");

            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain("SECRET-HOST", text, StringComparison.Ordinal);
            Assert.Equal(0, server.Catalog.InstanceCount);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task Register_BodyOverTheLimit_Is413()
    {
        await using var server = await RegistryServer.StartAsync();
        var body = "{\"instance\":{\"app\":\"ORDERS\",\"hostName\":\"h\",\"port\":8080,\"metadata\":{\"big\":\"" + new string('x', 70 * 1024) + "\"}}}";

        using var response = await PostAsync(server.Client, "/eureka/apps/ORDERS", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Fact]
    public async Task Renew_UnknownInstance_Is404_SoTheClientRegistersAgain()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));

        using var unknown = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/ORDERS/nope");
        using var otherApp = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/BILLING/orders-1");
        using var known = await SendAsync(server.Client, HttpMethod.Put, "/eureka/v2/apps/ORDERS/orders-1");
        using var cancelUnknown = await SendAsync(server.Client, HttpMethod.Delete, "/eureka/apps/ORDERS/nope");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherApp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancelUnknown.StatusCode);
    }

    [Fact]
    public async Task StatusOverride_UnknownValue_Is400NamingValue()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", Instance("ORDERS", "orders-1"));

        using var response = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/ORDERS/orders-1/status?value=ASLEEP");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("value", out _));
        Assert.Equal(HealthStatus.Passing, server.Catalog.GetInstance("orders-1")!.Instance.Status);
    }

    [Fact]
    public async Task Lease_IsDurationInSecs_RenewalsKeepIt_ExpiryMakesTheClientRegisterAgain()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, "ORDERS", """{"instance":{"app":"ORDERS","hostName":"127.0.0.1","port":8080,"leaseInfo":{"durationInSecs":45,"renewalIntervalInSecs":15}}}""");

        var instance = server.Catalog.GetInstance("127.0.0.1")!;

        Assert.Equal(TimeSpan.FromSeconds(45), instance.Instance.Ttl);
        Assert.Equal(server.Time.GetUtcNow().AddSeconds(45), instance.LeaseExpiresAt);
        server.Time.Advance(TimeSpan.FromSeconds(30));
        using var renewed = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/ORDERS/127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.Equal(server.Time.GetUtcNow().AddSeconds(45), server.Catalog.GetInstance("127.0.0.1")!.LeaseExpiresAt);

        // Without a renewal for the lease's length the instance leaves; its next renewal is 404 and it registers again.
        server.Time.Advance(TimeSpan.FromSeconds(46));
        await server.Catalog.SweepAsync(TestContext.Current.CancellationToken);
        using var expired = await SendAsync(server.Client, HttpMethod.Put, "/eureka/apps/ORDERS/127.0.0.1");
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Null(server.Catalog.GetInstance("127.0.0.1"));
        await RegisterAsync(server.Client, "ORDERS", """{"instance":{"app":"ORDERS","hostName":"127.0.0.1","port":8080}}""");
        Assert.Equal(TimeSpan.FromSeconds(90), server.Catalog.GetInstance("127.0.0.1")!.Instance.Ttl); // Eureka's default lease
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.Server.Tests.Api;

public sealed class RegisterApiTests
{
    internal const string SeedBody = """
        {"service_name":"user-service","host":"localhost","port":8080,"protocol":"http","path":"/api/v1",
         "health_check_path":"/health","metadata":{"version":"1.0.0","environment":"production"},"tags":["api","user","web"]}
        """;

    internal static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string body)
        => client.PostAsync("/service-discovery/register", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Register_SeedBody_CreatedWithInstanceIdAndIndex()
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await PostJsonAsync(server.Client, SeedBody);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("X-Switchboard-Index").Single());
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("user-service-localhost-8080", json.GetProperty("instance_id").GetString());
        Assert.True(json.GetProperty("created").GetBoolean());
        Assert.Equal("/service-discovery/instances/user-service-localhost-8080", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Register_Twice_SecondIsOkAndNotCreated()
    {
        await using var server = await RegistryServer.StartAsync();
        (await PostJsonAsync(server.Client, SeedBody)).Dispose();

        using var again = await PostJsonAsync(server.Client, SeedBody);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetBoolean());
        Assert.Equal(1, server.Catalog.Index);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"service_name":"User Service","host":"h","port":1}""", "service_name" },
        { """{"service_name":"a","host":"h","port":0}""", "port" },
        { """{"service_name":"a","host":"h","port":65536}""", "port" },
        { """{"service_name":"a","host":"","port":1}""", "host" },
        { """{"service_name":"a","port":1}""", "host" },
        { """{"service_name":"a","host":"h","port":1,"protocol":"gopher"}""", "protocol" },
        { """{"service_name":"a","host":"h","port":1,"ttl":-5}""", "ttl" },
        { """{"service_name":"a","host":"h","port":1,"ttl":"soon"}""", "ttl" },
        { """{"service_name":"a","host":"h","port":"eighty"}""", "port" },
        { """{"service_name":"a","host":"h","port":1,"tags":"api"}""", "tags" },
        { """{"service_name":"a","host":"h","port":1,"metadata":{"k":5}}""", "metadata.k" },
        { """{"service_name":"a","host":"h","port":1,"check":{"kind":"grpc"}}""", "check.kind" },
        { """{"service_name":"a","host":"h","port":1,"check":{"kind":"http","interval":"1ms","http":"/h"}}""", "check.interval" },
        { """{"service_name":"a","host":"h","port":1,"weight":0}""", "weight" },
        { """{"service_name":"a","host":"h",""", "body" },
        { "null", "body" },
        { "[1,2]", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Register_BadInput_400ProblemNamingFieldAndCatalogUnchanged(string body, string field)
    {
        await using var server = await RegistryServer.StartAsync();

        using var response = await PostJsonAsync(server.Client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {problem}");
        Assert.Equal(0, server.Catalog.Index);
    }

    [Fact]
    public async Task Register_TooManyTagsAndMetadata_400()
    {
        await using var server = await RegistryServer.StartAsync();
        var tags = string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"t{i}\""));
        var meta = string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"k{i}\":\"v\""));

        using var response = await PostJsonAsync(server.Client, "{\"service_name\":\"a\",\"host\":\"h\",\"port\":1,\"tags\":[" + tags + "],\"metadata\":{" + meta + "}}");

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("tags", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task Register_OversizedBody_413AndCatalogUnchanged()
    {
        await using var server = await RegistryServer.StartAsync();
        var huge = $$"""{"service_name":"a","host":"h","port":1,"version":"{{new string('x', 70_000)}}"}""";

        using var response = await PostJsonAsync(server.Client, huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, server.Catalog.Index);
    }

    [Fact]
    public async Task Register_DeeplyNestedHostileJson_400NotCrash()
    {
        await using var server = await RegistryServer.StartAsync();
        var nested = $$"""{"service_name":"a","host":"h","port":1,"check":{{string.Concat(Enumerable.Repeat("{\"a\":", 500))}}1{{new string('}', 500)}}}""";

        using var response = await PostJsonAsync(server.Client, nested);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var health = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Register_WrongContentType_415()
    {
        await using var server = await RegistryServer.StartAsync();
        using var response = await server.Client.PostAsync("/service-discovery/register", new StringContent(SeedBody, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}

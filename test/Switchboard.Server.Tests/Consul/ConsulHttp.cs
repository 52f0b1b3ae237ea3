using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Server.Consul;

namespace Switchboard.Server.Tests.Consul;

/// <summary>Calls the Consul API the way Consul clients do.</summary>
internal static class ConsulHttp
{
    public const string Redis = """
        {"ID":"redis1","Name":"redis","Tags":["primary","v1"],"Address":"127.0.0.1","Port":8000,
         "Meta":{"redis_version":"4.0"},"EnableTagOverride":false,
         "Check":{"DeregisterCriticalServiceAfter":"90m","HTTP":"http://127.0.0.1:8000/health","Interval":"10s","Timeout":"5s"},
         "Weights":{"Passing":10,"Warning":1}}
        """;

    public static Task<HttpResponseMessage> PutAsync(HttpClient client, string path, string? body = null)
        => client.PutAsync(path, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

    public static async Task RegisterAsync(HttpClient client, string body)
    {
        using var response = await PutAsync(client, "/v1/agent/service/register", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string NodeName(RegistryServer server)
        => server.Services.GetRequiredService<IOptions<ConsulApiOptions>>().Value.NodeName;

    public static long Index(HttpResponseMessage response) => long.Parse(response.Headers.GetValues("X-Consul-Index").Single(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The object's property names, sorted.</summary>
    public static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    /// <summary>Asserts the response is Consul's plain-text error.</summary>
    public static async Task AssertTextAsync(HttpResponseMessage response, int status, string expected)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }
}

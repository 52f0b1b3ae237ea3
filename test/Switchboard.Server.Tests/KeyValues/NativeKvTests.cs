using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Api;
using Switchboard.Server.Tests.Consul;

namespace Switchboard.Server.Tests.KeyValues;

/// <summary>The native key/value routes on real Kestrel: snake_case shapes, raw values, lists, cas conflicts, ProblemDetails naming the field.</summary>
public sealed class NativeKvTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> PutAsync(HttpClient client, string key, string value, string query = "")
    {
        using var response = await client.PutAsync(RegistryRoutes.KeyValue(key) + query, new ByteArrayContent(Encoding.UTF8.GetBytes(value)), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static long Index(HttpResponseMessage response) => long.Parse(response.Headers.GetValues(RegistryRoutes.IndexHeader).Single(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        return problem;
    }

    [Fact]
    public async Task PutGetRaw_SnakeCaseShape_IndexHeader()
    {
        await using var server = await RegistryServer.StartAsync();
        var written = await PutAsync(server.Client, "config/feature x", "on", "?flags=3");
        Assert.Equal("config/feature x", written.GetProperty("key").GetString());
        Assert.Equal(1, written.GetProperty("modify_index").GetInt64());

        using var response = await server.Client.GetAsync(RegistryRoutes.KeyValue("config/feature x"), Ct);
        Assert.Equal(1, Index(response));
        var entry = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["create_index", "flags", "key", "modify_index", "value"], ConsulHttp.Keys(entry));
        Assert.Equal("on", Encoding.UTF8.GetString(entry.GetProperty("value").GetBytesFromBase64()));
        Assert.Equal(3, entry.GetProperty("flags").GetInt64());
        using var raw = await server.Client.GetAsync(RegistryRoutes.KeyValue("config/feature x") + "?raw=true", Ct);
        Assert.Equal("on", await raw.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/octet-stream", raw.Content.Headers.ContentType?.MediaType);

        using var missing = await server.Client.GetAsync(RegistryRoutes.KeyValue("nope"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Key 'nope' does not exist.", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_AllOrPrefix_KeysAndSeparator_EmptyListWhenNone()
    {
        await using var server = await RegistryServer.StartAsync();
        foreach (var key in new[] { "web/a", "web/b/c", "db" })
            await PutAsync(server.Client, key, key);

        var all = await server.Client.GetFromJsonAsync<JsonElement>(RegistryRoutes.KeyValues, Ct);
        Assert.Equal(["db", "web/a", "web/b/c"], all.EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        var keys = await server.Client.GetFromJsonAsync<JsonElement>(RegistryRoutes.KeyValues + "?prefix=web/&keys=true&separator=/", Ct);
        Assert.Equal(["web/a", "web/b/"], keys.EnumerateArray().Select(e => e.GetString()));
        var none = await server.Client.GetFromJsonAsync<JsonElement>(RegistryRoutes.KeyValues + "?prefix=nothing/", Ct);
        Assert.Equal(0, none.GetArrayLength());
    }

    [Fact]
    public async Task Cas_Mismatch409NamingCas_DeleteCas_Recurse204()
    {
        await using var server = await RegistryServer.StartAsync();
        await PutAsync(server.Client, "k", "1", "?cas=0");
        using (var conflict = await server.Client.PutAsync(RegistryRoutes.KeyValue("k") + "?cas=0", new ByteArrayContent([1]), Ct))
            await ProblemAsync(conflict, HttpStatusCode.Conflict, "cas");
        await PutAsync(server.Client, "k", "2", "?cas=1");

        using (var stale = await server.Client.DeleteAsync(RegistryRoutes.KeyValue("k") + "?cas=1", Ct))
            await ProblemAsync(stale, HttpStatusCode.Conflict, "cas");
        using (var deleted = await server.Client.DeleteAsync(RegistryRoutes.KeyValue("k") + "?cas=2", Ct))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        await PutAsync(server.Client, "t/a", "a");
        await PutAsync(server.Client, "t/b", "b");
        using (var tree = await server.Client.DeleteAsync(RegistryRoutes.KeyValue("t/") + "?recurse=true", Ct))
            Assert.Equal(HttpStatusCode.NoContent, tree.StatusCode);
        Assert.Equal(0, (await server.Client.GetFromJsonAsync<JsonElement>(RegistryRoutes.KeyValues, Ct)).GetArrayLength());
    }

    [Theory]
    [InlineData("PUT", "/service-discovery/kv/a?cas=x", "cas")]
    [InlineData("PUT", "/service-discovery/kv/a?cas=-1", "cas")]
    [InlineData("PUT", "/service-discovery/kv/a?flags=x", "flags")]
    [InlineData("PUT", "/service-discovery/kv/a?flags=1&flags=2", "flags")]
    [InlineData("PUT", "/service-discovery/kv/", "key")]
    [InlineData("PUT", "/service-discovery/kv/a/../b", "key")]
    [InlineData("PUT", "/service-discovery/kv/a%0Db", "key")]
    [InlineData("GET", "/service-discovery/kv/a?raw=maybe", "raw")]
    [InlineData("GET", "/service-discovery/kv/a?index=-2", "index")]
    [InlineData("GET", "/service-discovery/kv/a?index=1&wait=soon", "wait")]
    [InlineData("GET", "/service-discovery/kv?prefix=a%00", "prefix")]
    [InlineData("GET", "/service-discovery/kv?prefix=../x", "prefix")]
    [InlineData("GET", "/service-discovery/kv?keys=yes", "keys")]
    [InlineData("GET", "/service-discovery/kv?separator=/", "separator")]
    [InlineData("DELETE", "/service-discovery/kv/a?recurse=true&cas=1", "cas")]
    [InlineData("DELETE", "/service-discovery/kv/a?recurse=sometimes", "recurse")]
    [InlineData("DELETE", "/service-discovery/kv/", "key")]
    public async Task BadInput_400ProblemNamingTheField(string method, string target, string field)
    {
        await using var server = await RegistryServer.StartAsync();
        var (status, body) = await RawHttp.SendAsync(server.Client.BaseAddress!, method, target, Ct);
        Assert.Equal(400, status);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), body);
        Assert.StartsWith(field, messages[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValueOver512KiB_413NamingValue()
    {
        await using var server = await RegistryServer.StartAsync();
        using var refused = await server.Client.PutAsync(RegistryRoutes.KeyValue("big"), new ByteArrayContent(new byte[512 * 1024 + 1]), Ct);
        await ProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge, "value");
    }

    [Fact]
    public async Task BlockingList_WokenByAChangeUnderThePrefix_OnFakeTime()
    {
        var time = new TimerWatchingTimeProvider();
        await using var server = await RegistryServer.StartAsync(time);
        await PutAsync(server.Client, "app/a", "1");
        using var first = await server.Client.GetAsync(RegistryRoutes.KeyValues + "?prefix=app/", Ct);
        var index = Index(first);

        var parked = time.NextTimerAsync(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(21));
        var pending = server.Client.GetAsync(RegistryRoutes.KeyValues + $"?prefix=app/&index={index}&wait=20s", Ct);
        await parked;
        await PutAsync(server.Client, "elsewhere", "x");
        Assert.False(pending.IsCompleted);
        await PutAsync(server.Client, "app/b", "2");
        using var woken = await pending;
        Assert.Equal(3, Index(woken));
        Assert.Equal(2, (await woken.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetArrayLength());
    }
}

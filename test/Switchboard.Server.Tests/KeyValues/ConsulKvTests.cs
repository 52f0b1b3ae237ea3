using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Server.Tests.Consul;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.KeyValues;

/// <summary><c>/v1/kv</c> on real Kestrel as Consul's documentation describes it: shapes, parameters, blocking queries, indexes.</summary>
public sealed class ConsulKvTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> PutTextAsync(HttpClient client, string path, string body)
    {
        using var response = await client.PutAsync(path, new ByteArrayContent(Encoding.UTF8.GetBytes(body)), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [Fact]
    public async Task PutThenGet_ConsulShape_Base64Value_FlagsAndIndexesOnConsulsScale()
    {
        await using var server = await RegistryServer.StartAsync();
        using var empty = await server.Client.GetAsync("/v1/kv/config/db", Ct);
        Assert.Equal(HttpStatusCode.NotFound, empty.StatusCode);
        Assert.Equal("", await empty.Content.ReadAsStringAsync(Ct)); // Consul: 404 with an empty body
        Assert.Equal(1, Index(empty)); // never 0

        Assert.Equal("true", await PutTextAsync(server.Client, "/v1/kv/config/db?flags=42", "postgres://db"));
        using var response = await server.Client.GetAsync("/v1/kv/config/db", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Index(response));
        var entry = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Equal(["CreateIndex", "Flags", "Key", "LockIndex", "ModifyIndex", "Value"], Keys(entry));
        Assert.Equal("config/db", entry.GetProperty("Key").GetString());
        Assert.Equal(42, entry.GetProperty("Flags").GetInt64());
        Assert.Equal(0, entry.GetProperty("LockIndex").GetInt64());
        Assert.Equal("postgres://db", Encoding.UTF8.GetString(entry.GetProperty("Value").GetBytesFromBase64()));
        Assert.Equal(2, entry.GetProperty("CreateIndex").GetInt64());
        Assert.Equal(2, entry.GetProperty("ModifyIndex").GetInt64());
    }

    [Fact]
    public async Task EmptyValue_IsNullInJson_AndRawAnswersTheBytes()
    {
        await using var server = await RegistryServer.StartAsync();
        await PutTextAsync(server.Client, "/v1/kv/empty", "");
        await PutTextAsync(server.Client, "/v1/kv/text", "plain value");

        var entry = (await GetJsonAsync(server.Client, "/v1/kv/empty"))[0];
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("Value").ValueKind);
        using var raw = await server.Client.GetAsync("/v1/kv/text?raw", Ct);
        Assert.Equal("plain value", await raw.Content.ReadAsStringAsync(Ct));
        Assert.Equal("nosniff", raw.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Recurse_Keys_Separator_AsConsul()
    {
        await using var server = await RegistryServer.StartAsync();
        foreach (var key in new[] { "web/a", "web/b/c", "web/b/d", "webhook", "db/x" })
            await PutTextAsync(server.Client, "/v1/kv/" + key, key);

        var recursed = await GetJsonAsync(server.Client, "/v1/kv/web/?recurse");
        Assert.Equal(["web/a", "web/b/c", "web/b/d"], recursed.EnumerateArray().Select(e => e.GetProperty("Key").GetString()));
        var prefix = await GetJsonAsync(server.Client, "/v1/kv/web?recurse=true");
        Assert.Equal(4, prefix.GetArrayLength()); // a prefix, not a folder: webhook too
        var keys = await GetJsonAsync(server.Client, "/v1/kv/web/?keys");
        Assert.Equal(["web/a", "web/b/c", "web/b/d"], keys.EnumerateArray().Select(e => e.GetString()));
        var folded = await GetJsonAsync(server.Client, "/v1/kv/web/?keys&separator=/");
        Assert.Equal(["web/a", "web/b/"], folded.EnumerateArray().Select(e => e.GetString()));
        var root = await GetJsonAsync(server.Client, "/v1/kv/?keys&separator=/");
        Assert.Equal(["db/", "web/", "webhook"], root.EnumerateArray().Select(e => e.GetString()));
        var misspelled = await GetJsonAsync(server.Client, "/v1/kv/web/?keys&seperator=/"); // Consul still reads its old spelling
        Assert.Equal(2, misspelled.GetArrayLength());

        using var none = await server.Client.GetAsync("/v1/kv/nothing/?recurse", Ct);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        using var noKeys = await server.Client.GetAsync("/v1/kv/nothing/?keys", Ct);
        Assert.Equal(HttpStatusCode.NotFound, noKeys.StatusCode);
    }

    [Fact]
    public async Task Cas_ZeroCreatesOnly_ModifyIndexMatches_FalseOtherwise()
    {
        await using var server = await RegistryServer.StartAsync();
        Assert.Equal("true", await PutTextAsync(server.Client, "/v1/kv/lock?cas=0", "a"));
        Assert.Equal("false", await PutTextAsync(server.Client, "/v1/kv/lock?cas=0", "b"));
        var modify = (await GetJsonAsync(server.Client, "/v1/kv/lock"))[0].GetProperty("ModifyIndex").GetInt64();
        Assert.Equal("false", await PutTextAsync(server.Client, $"/v1/kv/lock?cas={modify + 1}", "c"));
        Assert.Equal("false", await PutTextAsync(server.Client, "/v1/kv/lock?cas=1", "c"));
        Assert.Equal("true", await PutTextAsync(server.Client, $"/v1/kv/lock?cas={modify}", "d"));
        var after = (await GetJsonAsync(server.Client, "/v1/kv/lock"))[0];
        Assert.Equal("d", Encoding.UTF8.GetString(after.GetProperty("Value").GetBytesFromBase64()));
        Assert.Equal(modify, after.GetProperty("CreateIndex").GetInt64());

        using (var stale = await server.Client.DeleteAsync($"/v1/kv/lock?cas={modify}", Ct))
            Assert.Equal("false", await stale.Content.ReadAsStringAsync(Ct));
        using (var current = await server.Client.DeleteAsync($"/v1/kv/lock?cas={after.GetProperty("ModifyIndex").GetInt64()}", Ct))
            Assert.Equal("true", await current.Content.ReadAsStringAsync(Ct));
        using var gone = await server.Client.GetAsync("/v1/kv/lock", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Delete_KeyAndRecurse_TrueBody_MissingKeyStillTrue()
    {
        await using var server = await RegistryServer.StartAsync();
        foreach (var key in new[] { "a/1", "a/2", "b" })
            await PutTextAsync(server.Client, "/v1/kv/" + key, key);

        using (var one = await server.Client.DeleteAsync("/v1/kv/b", Ct))
            Assert.Equal("true", await one.Content.ReadAsStringAsync(Ct));
        using (var missing = await server.Client.DeleteAsync("/v1/kv/b", Ct))
            Assert.Equal("true", await missing.Content.ReadAsStringAsync(Ct));
        using (var tree = await server.Client.DeleteAsync("/v1/kv/a/?recurse", Ct))
            Assert.Equal("true", await tree.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, (await GetJsonAsync(server.Client, "/v1/kv/?keys")).GetArrayLength());
    }

    [Fact]
    public async Task Blocking_OnAKey_WokenByItsChange_NotByAnotherKey()
    {
        var time = new TimerWatchingTimeProvider();
        await using var server = await RegistryServer.StartAsync(time);
        await PutTextAsync(server.Client, "/v1/kv/watched", "1");
        using var first = await server.Client.GetAsync("/v1/kv/watched", Ct);
        var index = Index(first);

        var parked = time.NextTimerAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(32));
        var pending = server.Client.GetAsync($"/v1/kv/watched?index={index}&wait=30s", Ct);
        await parked;
        await PutTextAsync(server.Client, "/v1/kv/other", "x");
        Assert.False(pending.IsCompleted);
        await PutTextAsync(server.Client, "/v1/kv/watched", "2");

        using var response = await pending;
        Assert.True(Index(response) > index);
        Assert.Equal("2", Encoding.UTF8.GetString((await response.Content.ReadFromJsonAsync<JsonElement>(Ct))[0].GetProperty("Value").GetBytesFromBase64()));
    }

    [Fact]
    public async Task Blocking_OnAPrefix_WokenByADeleteUnderIt_AndTimeoutAnswersTheSameIndex()
    {
        var time = new TimerWatchingTimeProvider();
        await using var server = await RegistryServer.StartAsync(time);
        await PutTextAsync(server.Client, "/v1/kv/app/a", "1");
        await PutTextAsync(server.Client, "/v1/kv/app/b", "2");
        using var first = await server.Client.GetAsync("/v1/kv/app/?recurse", Ct);
        var index = Index(first);

        var parked = time.NextTimerAsync(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6)); // Consul's default wait
        var pending = server.Client.GetAsync($"/v1/kv/app/?recurse&index={index}", Ct);
        await parked;
        (await server.Client.DeleteAsync("/v1/kv/app/a", Ct)).Dispose();
        using var woken = await pending;
        Assert.True(Index(woken) > index);
        Assert.Single((await woken.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());

        var timer = time.NextTimerAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(11));
        var quiet = server.Client.GetAsync($"/v1/kv/app/?keys&index={Index(woken)}&wait=10s", Ct);
        var due = await timer;
        time.Advance(due);
        using var timedOut = await quiet;
        Assert.Equal(Index(woken), Index(timedOut));
    }

    [Fact]
    public async Task KvIndex_IsItsOwn_CatalogChangesDoNotMoveIt()
    {
        await using var server = await RegistryServer.StartAsync();
        await PutTextAsync(server.Client, "/v1/kv/k", "1");
        await RegisterAsync(server.Client, """{"Name":"web","Port":80}""");
        await RegisterAsync(server.Client, """{"Name":"db","Port":81}""");
        using var kv = await server.Client.GetAsync("/v1/kv/?recurse", Ct);
        Assert.Equal(2, Index(kv));
    }
}

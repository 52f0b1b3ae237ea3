using System.Text;
using System.Text.Json;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>The key/value store shared by two real agents over one redis-server, through the Consul-compatible <c>/v1/kv</c> routes.</summary>
public sealed partial class AgentClusterTests
{
    private static async Task<string> KvPutAsync(ServiceProcess agent, string key, string value, long? cas = null)
    {
        using var response = await agent.Client.PutAsync($"/v1/kv/{key}{(cas is { } c ? $"?cas={c}" : "")}", new StringContent(value, Encoding.UTF8), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadAsStringAsync(Ct)).Trim();
    }

    private static async Task<(JsonElement Entry, long Index)> KvGetAsync(ServiceProcess agent, string key, string query = "")
    {
        using var response = await agent.Client.GetAsync($"/v1/kv/{key}{query}", Ct);
        response.EnsureSuccessStatusCode();
        var index = long.Parse(response.Headers.GetValues("X-Consul-Index").Single(), System.Globalization.CultureInfo.InvariantCulture);
        return (JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement[0].Clone(), index);
    }

    private static string Text(JsonElement entry) => Encoding.UTF8.GetString(Convert.FromBase64String(entry.GetProperty("Value").GetString()!));

    [Fact]
    public async Task KeyValues_PutOnA_BlockingQueryOnBWakes()
    {
        var a = await StartAgentAsync("a");
        var b = await StartAgentAsync("b");
        Assert.Equal("true", await KvPutAsync(a, "app/color", "blue"));
        await Eventually.TrueAsync(async () => (await b.Client.GetAsync("/v1/kv/app/color", Ct)).IsSuccessStatusCode, "node B has the key");
        var (first, index) = await KvGetAsync(b, "app/color");
        Assert.Equal("blue", Text(first));

        var blocked = KvGetAsync(b, "app/color", $"?index={index}&wait=30s");
        Assert.False(blocked.IsCompleted);
        Assert.Equal("true", await KvPutAsync(a, "app/color", "green"));

        var (changed, after) = await blocked.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal("green", Text(changed));
        Assert.True(after > index);
        Assert.Equal(after, changed.GetProperty("ModifyIndex").GetInt64());
    }

    [Fact]
    public async Task KeyValues_CasDecidedAcrossAgents()
    {
        var a = await StartAgentAsync("a");
        var b = await StartAgentAsync("b");

        Assert.Equal("true", await KvPutAsync(a, "lock", "a", cas: 0));
        Assert.Equal("false", await KvPutAsync(b, "lock", "b", cas: 0)); // whatever B's memory shows: Redis decides
        await Eventually.TrueAsync(async () => (await b.Client.GetAsync("/v1/kv/lock", Ct)).IsSuccessStatusCode, "node B has the key");
        var modify = (await KvGetAsync(b, "lock")).Entry.GetProperty("ModifyIndex").GetInt64();

        var both = await Task.WhenAll(KvPutAsync(a, "lock", "a2", modify), KvPutAsync(b, "lock", "b2", modify));
        Assert.Single(both, r => r == "true");
        Assert.Single(both, r => r == "false");
        var winner = both[0] == "true" ? "a2" : "b2";
        await Eventually.TrueAsync(async () => Text((await KvGetAsync(a, "lock")).Entry) == winner && Text((await KvGetAsync(b, "lock")).Entry) == winner,
            "both nodes show the one write that won");
    }
}

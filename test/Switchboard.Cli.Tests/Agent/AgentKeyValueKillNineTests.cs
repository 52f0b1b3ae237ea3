using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.Cli.Tests.Agent;

/// <summary>The real agent with <c>--data-dir</c>: key/value entries survive kill -9 with their values, flags and indexes, and no acknowledged put is lost.</summary>
public sealed class AgentKeyValueKillNineTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sb-kv-kill9-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
            Directory.Delete(_dataDir, recursive: true);
    }

    private static async Task PutAsync(HttpClient client, string path, string value, string expected = "true")
    {
        using var response = await client.PutAsync(path, new ByteArrayContent(Encoding.UTF8.GetBytes(value)), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (path.StartsWith("/v1/", StringComparison.Ordinal))
            Assert.Equal(expected, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<(string Entries, string Index)> SnapshotAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/v1/kv/?recurse", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(Ct), response.Headers.GetValues("X-Consul-Index").Single());
    }

    [Fact]
    public async Task KillNine_ThenRestartOnTheSameDataDirectory_KeepsValuesFlagsAndIndexes()
    {
        (string Entries, string Index) before;
        await using (var agent = await AgentProcess.StartAsync("--data-dir", _dataDir))
        {
            await PutAsync(agent.Client, "/v1/kv/config/db?flags=5", "postgres://db");
            await PutAsync(agent.Client, "/service-discovery/kv/config/feature?flags=1", "on");
            await PutAsync(agent.Client, "/v1/kv/config/db?cas=2", "postgres://db2");
            await PutAsync(agent.Client, "/v1/kv/tmp/a", "a");
            await PutAsync(agent.Client, "/v1/kv/tmp/b", "b");
            (await agent.Client.DeleteAsync("/v1/kv/tmp/?recurse", Ct)).Dispose();
            await PutAsync(agent.Client, "/v1/kv/binary", "\u0000\u0001\u00ff");
            before = await SnapshotAsync(agent.Client);
            await agent.KillAsync(); // SIGKILL: no shutdown, no flush beyond what each acknowledged write already fsynced
        }

        await using var restarted = await AgentProcess.StartAsync("--data-dir", _dataDir);
        var after = await SnapshotAsync(restarted.Client);
        Assert.Equal(before.Entries, after.Entries); // values, flags, CreateIndex and ModifyIndex
        Assert.Equal(before.Index, after.Index);
        var db = (await restarted.Client.GetFromJsonAsync<JsonElement>("/service-discovery/kv/config/db", Ct));
        Assert.Equal(("postgres://db2", 0L, 1L, 3L), (Encoding.UTF8.GetString(db.GetProperty("value").GetBytesFromBase64()),
            db.GetProperty("flags").GetInt64(), db.GetProperty("create_index").GetInt64(), db.GetProperty("modify_index").GetInt64()));

        // The index goes on from where it was: a cas against the kept modify index still works.
        await PutAsync(restarted.Client, "/v1/kv/config/db?cas=4", "postgres://db3");
        using var next = await restarted.Client.GetAsync("/v1/kv/config/db", Ct);
        Assert.Equal("9", next.Headers.GetValues("X-Consul-Index").Single());
    }

    [Fact]
    public async Task KillNineUnderConcurrentPuts_NoAcknowledgedPutIsLost()
    {
        var acknowledged = new ConcurrentDictionary<string, string>();
        var next = 0;
        for (var round = 0; round < 3; round++)
        {
            await using var agent = await AgentProcess.StartAsync("--data-dir", _dataDir);
            using var http = new HttpClient { BaseAddress = agent.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            var acks = 0;
            using var enough = new SemaphoreSlim(0);
            var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    var n = Interlocked.Increment(ref next);
                    var (key, value) = ($"bulk/{n}", new string((char)('a' + n % 26), 20_000));
                    try
                    {
                        using var response = await http.PutAsync("/v1/kv/" + key, new StringContent(value), CancellationToken.None);
                        if (!response.IsSuccessStatusCode)
                            return;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        return; // the kill ends the round
                    }
                    acknowledged[key] = value;
                    if (Interlocked.Increment(ref acks) == 20)
                        enough.Release();
                }
            })).ToArray();

            await enough.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            await agent.KillAsync();
            await Task.WhenAll(writers);
        }

        await using var final = await AgentProcess.StartAsync("--data-dir", _dataDir);
        var present = (await final.Client.GetFromJsonAsync<JsonElement>("/service-discovery/kv?prefix=bulk/", Ct)).EnumerateArray()
            .ToDictionary(e => e.GetProperty("key").GetString()!, e => Encoding.UTF8.GetString(e.GetProperty("value").GetBytesFromBase64()));
        Assert.True(acknowledged.Count >= 60);
        var lost = acknowledged.Where(a => !present.TryGetValue(a.Key, out var value) || value != a.Value).Select(a => a.Key).ToList();
        Assert.Empty(lost);
    }
}

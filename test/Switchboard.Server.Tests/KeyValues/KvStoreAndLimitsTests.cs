using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Api;
using Switchboard.Registry.KeyValues;
using Switchboard.Registry.Storage;
using Switchboard.Server.Tests.Audit;
using Switchboard.Server.Tests.Consul;

namespace Switchboard.Server.Tests.KeyValues;

/// <summary>A store that refuses writes (503 on both APIs, nothing visible), the shared parked-query limit, secrets with ACLs off, and audit events without values.</summary>
public sealed class KvStoreAndLimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An in-memory store whose writes fail as a full disk would.</summary>
    private sealed class RefusingStore : IKeyValueStore
    {
        public string Kind => "memory";

        public KeyValueMirror Mirror { get; } = new();

        public Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<KvWriteResult> PutAsync(string key, byte[] value, long flags, long? cas, CancellationToken cancellationToken)
            => Task.FromException<KvWriteResult>(new RegistryStoreUnavailableException("The store could not save the change: disk full; nothing of it was kept.", retryAfter: TimeSpan.FromSeconds(1)));

        public Task<KvWriteResult> DeleteAsync(string key, bool recurse, long? cas, CancellationToken cancellationToken)
            => PutAsync(key, [], 0, cas, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task StoreRefusal_503WithRetryAfter_BothApis_NothingVisible()
    {
        await using var server = await RegistryServer.StartAsync(configure: b => b.Services.AddSingleton<IKeyValueStore, RefusingStore>());
        using var consul = await server.Client.PutAsync("/v1/kv/k", new StringContent("v"), Ct);
        await ConsulHttp.AssertTextAsync(consul, 503, "The store could not save the change: disk full; nothing of it was kept.");
        Assert.Equal(TimeSpan.FromSeconds(1), consul.Headers.RetryAfter?.Delta);

        using var native = await server.Client.PutAsync(RegistryRoutes.KeyValue("k"), new StringContent("v"), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, native.StatusCode);
        Assert.Equal("application/problem+json", native.Content.Headers.ContentType?.MediaType);
        using var delete = await server.Client.DeleteAsync(RegistryRoutes.KeyValue("k"), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, delete.StatusCode);

        using var read = await server.Client.GetAsync("/v1/kv/k", Ct);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task AFullStore_503BothApis_NamingTheSetting_AndAReplacementStillPasses()
    {
        await using var server = await RegistryServer.StartAsync(settings: new Dictionary<string, string?> { ["Switchboard:KeyValues:MaxKeys"] = "1" });
        (await server.Client.PutAsync("/v1/kv/a", new StringContent("v"), Ct)).Dispose();

        using var consul = await server.Client.PutAsync("/v1/kv/b", new StringContent("v"), Ct);
        await ConsulHttp.AssertTextAsync(consul, 503, "The key/value store holds its limit of 1 keys (Switchboard:KeyValues:MaxKeys); delete keys or raise the limit.");
        using var native = await server.Client.PutAsync(RegistryRoutes.KeyValue("b"), new StringContent("v"), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, native.StatusCode);
        Assert.Equal("application/problem+json", native.Content.Headers.ContentType?.MediaType);
        var problem = await native.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("The key/value store is full.", problem.GetProperty("title").GetString());
        Assert.Equal("The key/value store holds its limit of 1 keys (Switchboard:KeyValues:MaxKeys); delete keys or raise the limit.", problem.GetProperty("detail").GetString());

        using (var replaced = await server.Client.PutAsync("/v1/kv/a", new StringContent("w"), Ct))
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        using var missing = await server.Client.GetAsync("/v1/kv/b", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ParkedKvQueries_CountWithTheCatalogsBlockingQueries()
    {
        var time = new TimerWatchingTimeProvider();
        await using var server = await RegistryServer.StartAsync(time, settings: new Dictionary<string, string?>
        {
            ["Switchboard:Limits:MaxBlockingQueriesPerClient"] = "1",
            ["Switchboard:Limits:MaxBlockingQueries"] = "10",
        });
        (await server.Client.PutAsync("/v1/kv/k", new StringContent("v"), Ct)).Dispose();
        var parked = time.NextTimerAsync(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        using var release = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var first = server.Client.GetAsync("/v1/kv/k?index=2&wait=1m", release.Token);
        await parked;

        using (var kv = await server.Client.GetAsync(RegistryRoutes.KeyValues + "?index=1&wait=1m", Ct))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, kv.StatusCode);
            Assert.Contains("(Switchboard:Limits:MaxBlockingQueriesPerClient)", await kv.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        using (var catalog = await server.Client.GetAsync("/v1/catalog/services?index=1&wait=1m", Ct))
            Assert.Equal(HttpStatusCode.TooManyRequests, catalog.StatusCode);
        using (var immediate = await server.Client.GetAsync("/v1/kv/k", Ct))
            Assert.Equal(HttpStatusCode.OK, immediate.StatusCode); // a read that does not park needs no slot

        await release.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }

    [Fact]
    public async Task Secrets_WithAclsOff_Stored_ButReadsRefused403SayingAclsMustBeOn_AndNeverListed()
    {
        await using var server = await RegistryServer.StartAsync();
        using (var put = await server.Client.PutAsync("/v1/kv/secrets/db", new StringContent("hunter2"), Ct))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        (await server.Client.PutAsync("/v1/kv/public", new StringContent("p"), Ct)).Dispose();

        using var consul = await server.Client.GetAsync("/v1/kv/secrets/db", Ct);
        await ConsulHttp.AssertTextAsync(consul, 403,
            "Keys under 'secrets/' are secrets: reading them needs ACLs on (switchboard agent --acl, Switchboard:Acl:Enabled=true) and a token with a key or key_prefix read rule covering the key.");
        using var native = await server.Client.GetAsync(RegistryRoutes.KeyValue("secrets/db") + "?raw=true", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, native.StatusCode);
        Assert.DoesNotContain("hunter2", await native.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var all = await server.Client.GetStringAsync("/v1/kv/?recurse", Ct);
        Assert.DoesNotContain("secrets/", all, StringComparison.Ordinal);
        Assert.Equal("[\"public\"]", await server.Client.GetStringAsync(RegistryRoutes.KeyValues + "?keys=true", Ct));
    }

    [Fact]
    public async Task Audit_KvWritesLogTheKey_NeverTheValue()
    {
        var logs = new CapturedLogs("Switchboard.Audit");
        await using var server = await RegistryServer.StartAsync(configure: b => b.Logging.AddProvider(logs));
        (await server.Client.PutAsync("/v1/kv/secrets/db", new StringContent("hunter2"), Ct)).Dispose();
        (await server.Client.PutAsync(RegistryRoutes.KeyValue("config/a b"), new StringContent("hunter3"), Ct)).Dispose();
        (await server.Client.DeleteAsync("/v1/kv/config/?recurse", Ct)).Dispose();
        (await server.Client.DeleteAsync(RegistryRoutes.KeyValue("secrets/db"), Ct)).Dispose();
        (await server.Client.GetAsync("/v1/kv/public", Ct)).Dispose();

        Assert.Collection(logs.Events,
            e => Assert.Equal(("kv.put", "secrets/db", "200"), (e["Operation"], e["Target"], e["StatusCode"])),
            e => Assert.Equal(("kv.put", "config/a b", "200"), (e["Operation"], e["Target"], e["StatusCode"])),
            e => Assert.Equal(("kv.delete", "config/", "200"), (e["Operation"], e["Target"], e["StatusCode"])),
            e => Assert.Equal(("kv.delete", "secrets/db", "204"), (e["Operation"], e["Target"], e["StatusCode"])));
        Assert.All(logs.Events, e => Assert.DoesNotContain("hunter", e.Message + string.Join(",", e.Fields.Values), StringComparison.Ordinal));
    }
}

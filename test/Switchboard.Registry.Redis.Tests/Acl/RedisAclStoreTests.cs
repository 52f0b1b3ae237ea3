using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Redis.Acl;

namespace Switchboard.Registry.Redis.Tests.Acl;

/// <summary>The ACL state shared through a real Redis: what one node writes, every node enforces after the notification.</summary>
public sealed class RedisAclStoreTests : IAsyncLifetime
{
    private readonly string _ns = "acl-" + Guid.NewGuid().ToString("N")[..8];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<IAsyncDisposable> _cleanup = [];
    private RedisServer _redis = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup))
            await item.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private async Task<AclService> NodeAsync()
    {
        var store = new RedisAclStore(Options.Create(new RedisStoreOptions { ConnectionString = _redis.ConnectionString, Namespace = _ns }), NullLogger<RedisAclStore>.Instance);
        var acl = new AclService(store, Options.Create(new AclOptions { Enabled = true, DefaultPolicy = "deny" }), _time, NullLogger<AclService>.Instance);
        _cleanup.Add(store);
        _cleanup.Add(new Disposer(acl));
        await acl.LoadAsync(Ct);
        return acl;
    }

    [Fact]
    public async Task Two_nodes_see_each_others_tokens_and_policies()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();

        var root = await a.BootstrapAsync(Ct);
        await Eventually.TrueAsync(() => b.TryResolve(root.SecretId, out var auth) && auth.IsManagement, "node B knows the bootstrap token");
        await Assert.ThrowsAsync<AclBootstrapNotAllowedException>(() => b.BootstrapAsync(Ct));

        // a token on B whose policy, created on A, later grants it more
        var policy = await a.CreatePolicyAsync(new("orders", Rules: """{"service":{"orders":{"policy":"read"}}}"""), Ct);
        await Eventually.TrueAsync(() => b.GetPolicy(policy.Id) is not null, "node B sees the policy");
        var token = await b.CreateTokenAsync(new("svc", [new AclPolicyLink(policy.Id)]), Ct);
        await Eventually.TrueAsync(() => a.TryResolve(token.SecretId, out var auth) && auth.ServiceRead("orders").IsAllowed, "node A authorizes B's token");
        Assert.False(b.Resolve(token.SecretId).ServiceWrite("orders").IsAllowed);

        await a.UpdatePolicyAsync(policy.Id, new("orders", Rules: """{"service":{"orders":{"policy":"write"}}}"""), Ct);
        await Eventually.TrueAsync(() => b.Resolve(token.SecretId).ServiceWrite("orders").IsAllowed, "node B applies A's policy change");

        await a.DeleteTokenAsync(token.Token.AccessorId, Ct);
        await Eventually.TrueAsync(() => !b.TryResolve(token.SecretId, out _), "node B revokes the token A deleted");

        // a node started later reads everything
        var c = await NodeAsync();
        Assert.Equal(a.Version, c.Version);
        Assert.True(c.Resolve(root.SecretId).IsManagement);
        Assert.NotNull(c.GetPolicyByName("orders"));
    }

    [Fact]
    public async Task Concurrent_writes_on_two_nodes_both_land()
    {
        var a = await NodeAsync();
        var b = await NodeAsync();
        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 10; i++) await a.CreatePolicyAsync(new($"a-{i}"), Ct); }, Ct),
            Task.Run(async () => { for (var i = 0; i < 10; i++) await b.CreatePolicyAsync(new($"b-{i}"), Ct); }, Ct));
        var c = await NodeAsync();
        Assert.Equal(20, c.ListPolicies().Count);
        Assert.Equal(20, c.Version);
        await Eventually.TrueAsync(() => a.ListPolicies().Count == 20 && b.ListPolicies().Count == 20, "both nodes hold all twenty");
    }

    [Fact]
    public async Task Redis_holds_secrets_only_as_hashes()
    {
        var a = await NodeAsync();
        var root = await a.BootstrapAsync(Ct);
        var token = await a.CreateTokenAsync(new("svc"), Ct);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var fields = await redis.GetDatabase().HashGetAllAsync("{" + _ns + "}:acl");
        var state = fields.Single(f => f.Name == "state").Value.ToString();
        Assert.Equal("2", fields.Single(f => f.Name == "version").Value.ToString());
        Assert.Contains(token.Token.AccessorId, state, StringComparison.Ordinal);
        Assert.DoesNotContain(token.SecretId, state, StringComparison.Ordinal);
        Assert.DoesNotContain(root.SecretId, state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wiped_key_is_the_new_truth_and_writes_go_on()
    {
        var a = await NodeAsync();
        var root = await a.BootstrapAsync(Ct);
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
            await redis.GetDatabase().KeyDeleteAsync("{" + _ns + "}:acl");

        var policy = await a.CreatePolicyAsync(new("after-wipe"), Ct); // refused once (version 0 stored), reloaded, saved
        Assert.Equal(1, policy.CreateIndex);
        Assert.False(a.TryResolve(root.SecretId, out _));
        Assert.False(a.IsBootstrapped);
    }

    private sealed class Disposer(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Registry.Acl;

namespace Switchboard.Registry.Tests.Acl;

/// <summary>Bootstrap, policies, tokens, expiry on fake time, secrets never shown again, and the authorizer cache.</summary>
public sealed class AclServiceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryAclStore _store = new();
    private readonly AclService _acl;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public AclServiceTests() => _acl = NewService();

    private AclService NewService(string defaultPolicy = "deny", params string[] anonymous)
    {
        var options = new AclOptions { Enabled = true, DefaultPolicy = defaultPolicy };
        foreach (var name in anonymous)
            options.AnonymousPolicies.Add(name);
        return new AclService(_store, Options.Create(options), _time, NullLogger<AclService>.Instance);
    }

    public void Dispose() => _acl.Dispose();

    [Fact]
    public async Task Bootstrap_runs_once_and_gives_a_management_token()
    {
        var root = await _acl.BootstrapAsync(Ct);
        Assert.True(_acl.IsBootstrapped);
        Assert.True(Guid.TryParse(root.SecretId, out _));
        Assert.True(Guid.TryParse(root.Token.AccessorId, out _));
        Assert.NotEqual(root.SecretId, root.Token.AccessorId);
        Assert.Equal(AclPolicy.GlobalManagementId, Assert.Single(root.Token.Policies).Id);
        var authorizer = _acl.Resolve(root.SecretId);
        Assert.True(authorizer.IsManagement);
        Assert.True(authorizer.AclWrite().IsAllowed);

        var again = await Assert.ThrowsAsync<AclBootstrapNotAllowedException>(() => _acl.BootstrapAsync(Ct));
        Assert.Equal("ACL bootstrap no longer allowed", again.Message);
        // also for another service over the same store (another node, a restart)
        using var other = NewService();
        await other.LoadAsync(Ct);
        await Assert.ThrowsAsync<AclBootstrapNotAllowedException>(() => other.BootstrapAsync(Ct));
        Assert.True(other.Resolve(root.SecretId).IsManagement);
    }

    [Fact]
    public async Task A_token_authorizes_by_its_policies_and_unknown_secrets_are_not_found()
    {
        var policy = await _acl.CreatePolicyAsync(new("orders-writer", "orders", """{"service":{"orders":{"policy":"write"}}}"""), Ct);
        var token = await _acl.CreateTokenAsync(new("svc", [new AclPolicyLink(Name: "orders-writer")]), Ct);
        Assert.Equal(new AclPolicyLink(policy.Id, "orders-writer"), Assert.Single(token.Token.Policies));
        var authorizer = _acl.Resolve(token.SecretId);
        Assert.Equal(token.Token.AccessorId, authorizer.AccessorId);
        Assert.True(authorizer.ServiceWrite("orders").IsAllowed);
        Assert.False(authorizer.ServiceRead("billing").IsAllowed);
        Assert.Equal(token.Token, _acl.Self(token.SecretId));

        var missing = Assert.Throws<AclNotFoundException>(() => _acl.Resolve(Guid.NewGuid().ToString()));
        Assert.Equal("ACL not found", missing.Message);
        Assert.False(_acl.TryResolve(new string('x', 10_000), out _));
        Assert.Throws<AclNotFoundException>(() => _acl.Self("nope"));
    }

    [Fact]
    public async Task The_cache_returns_the_same_authorizer_until_a_change()
    {
        var token = await _acl.CreateTokenAsync(new("t"), Ct);
        var first = _acl.Resolve(token.SecretId);
        Assert.Same(first, _acl.Resolve(token.SecretId));
        Assert.Same(_acl.Resolve(null), _acl.Resolve(""));

        await _acl.CreatePolicyAsync(new("unrelated"), Ct);
        var second = _acl.Resolve(token.SecretId);
        Assert.NotSame(first, second);
        Assert.Same(second, _acl.Resolve(token.SecretId));
    }

    [Fact]
    public async Task Changing_or_deleting_a_policy_changes_what_its_tokens_may_do()
    {
        var policy = await _acl.CreatePolicyAsync(new("reader", Rules: """{"service_prefix":{"":{"policy":"read"}}}"""), Ct);
        var token = await _acl.CreateTokenAsync(new(Policies: [new AclPolicyLink(policy.Id)]), Ct);
        Assert.False(_acl.Resolve(token.SecretId).ServiceWrite("a").IsAllowed);

        var updated = await _acl.UpdatePolicyAsync(policy.Id, new("writer", Rules: """{"service_prefix":{"":{"policy":"write"}}}"""), Ct);
        Assert.Equal("writer", updated!.Name);
        Assert.Equal("writer", _acl.GetToken(token.Token.AccessorId)!.Policies[0].Name);
        Assert.True(_acl.Resolve(token.SecretId).ServiceWrite("a").IsAllowed);

        Assert.True(await _acl.DeletePolicyAsync(policy.Id, Ct));
        Assert.False(await _acl.DeletePolicyAsync(policy.Id, Ct));
        Assert.Null(await _acl.UpdatePolicyAsync(policy.Id, new("writer"), Ct));
        Assert.False(_acl.Resolve(token.SecretId).ServiceRead("a").IsAllowed);
        Assert.Empty(_acl.GetToken(token.Token.AccessorId)!.Policies);
    }

    [Fact]
    public async Task Policy_names_are_validated_and_unique()
    {
        await _acl.CreatePolicyAsync(new("ops"), Ct);
        var taken = await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreatePolicyAsync(new("ops"), Ct));
        Assert.Equal("name: a policy named \"ops\" already exists", taken.Message);
        var bad = await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreatePolicyAsync(new("no spaces", Rules: """{"acl":"all"}"""), Ct));
        Assert.Equal(["name", "rules.acl"], bad.Errors.Select(e => e.Field));
        await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreatePolicyAsync(new(new string('a', 129)), Ct));
        await _acl.CreatePolicyAsync(new(new string('a', 128)), Ct);
        Assert.Equal([new string('a', 128), "ops"], _acl.ListPolicies().Select(p => p.Name));
    }

    [Fact]
    public async Task Global_management_cannot_be_deleted_renamed_or_given_rules()
    {
        await _acl.BootstrapAsync(Ct);
        await Assert.ThrowsAsync<AclValidationException>(() => _acl.DeletePolicyAsync(AclPolicy.GlobalManagementId, Ct));
        await Assert.ThrowsAsync<AclValidationException>(() => _acl.UpdatePolicyAsync(AclPolicy.GlobalManagementId, new("root"), Ct));
        await Assert.ThrowsAsync<AclValidationException>(() => _acl.UpdatePolicyAsync(AclPolicy.GlobalManagementId, new(AclPolicy.GlobalManagementName, Rules: """{"acl":"read"}"""), Ct));
        var described = await _acl.UpdatePolicyAsync(AclPolicy.GlobalManagementId, new(AclPolicy.GlobalManagementName, "everything"), Ct);
        Assert.Equal("everything", described!.Description);
    }

    [Fact]
    public async Task A_token_with_a_ttl_expires_on_time()
    {
        var token = await _acl.CreateTokenAsync(new("short", ExpirationTtl: TimeSpan.FromMinutes(10)), Ct);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(10), token.Token.ExpirationTime);
        var authorizer = _acl.Resolve(token.SecretId);

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Same(authorizer, _acl.Resolve(token.SecretId));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("ACL not found", Assert.Throws<AclNotFoundException>(() => _acl.Resolve(token.SecretId)).Message);
        Assert.Throws<AclNotFoundException>(() => _acl.Self(token.SecretId));
        Assert.Null(_acl.GetToken(token.Token.AccessorId));
        Assert.Empty(_acl.ListTokens());

        await _acl.CreatePolicyAsync(new("any"), Ct); // a change drops expired tokens from the state
        Assert.Empty((await _store.LoadAsync(Ct)).Tokens);
    }

    [Fact]
    public async Task Expiry_is_validated()
    {
        var now = _time.GetUtcNow();
        var both = await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreateTokenAsync(new(ExpirationTime: now.AddHours(1), ExpirationTtl: TimeSpan.FromHours(1)), Ct));
        Assert.Equal("expiration_ttl", Assert.Single(both.Errors).Field);
        var shortTtl = await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreateTokenAsync(new(ExpirationTtl: TimeSpan.FromSeconds(30)), Ct));
        Assert.Equal("expiration_ttl", Assert.Single(shortTtl.Errors).Field);
        var hugeTtl = await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreateTokenAsync(new(ExpirationTtl: TimeSpan.MaxValue), Ct));
        Assert.Equal("expiration_ttl", Assert.Single(hugeTtl.Errors).Field);
        var past = await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreateTokenAsync(new(ExpirationTime: now.AddMinutes(-1)), Ct));
        Assert.Equal("expiration_time", Assert.Single(past.Errors).Field);
        var token = await _acl.CreateTokenAsync(new(ExpirationTime: now.AddHours(2)), Ct);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.False(_acl.TryResolve(token.SecretId, out _));
    }

    [Fact]
    public async Task Unknown_policies_are_refused_by_field()
    {
        var ex = await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreateTokenAsync(new(Policies: [new AclPolicyLink(Name: "ghost"), new AclPolicyLink()]), Ct));
        Assert.Equal(["policies[0]", "policies[1]"], ex.Errors.Select(e => e.Field));
        Assert.Contains("\"ghost\"", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_is_shown_at_creation_only()
    {
        var created = await _acl.CreateTokenAsync(new("svc"), Ct);
        var secret = created.SecretId;
        Assert.DoesNotContain(secret, created.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, created.Token.ToString(), StringComparison.Ordinal);
        var stored = await _store.LoadAsync(Ct);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(stored, AclJsonContext.Default.AclState), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored.Tokens[0].ToString(), StringComparison.Ordinal);
        Assert.Equal(64, stored.Tokens[0].SecretHash.Length);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(_acl.ListTokens()), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(_acl.GetToken(created.Token.AccessorId)), StringComparison.Ordinal);
        Assert.Contains(secret, JsonSerializer.Serialize(new { created.Token.AccessorId, created.SecretId }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_requests_get_the_configured_policies()
    {
        await _acl.CreatePolicyAsync(new("public-read", Rules: """{"service_prefix":{"public-":{"policy":"read"}}}"""), Ct);
        using var acl = NewService("deny", "public-read", "not-created-yet");
        await acl.LoadAsync(Ct);
        var anonymous = acl.Resolve(null);
        Assert.Equal(AclToken.AnonymousAccessorId, anonymous.AccessorId);
        Assert.True(anonymous.ServiceRead("public-api").IsAllowed);
        Assert.False(anonymous.ServiceRead("orders").IsAllowed);
        Assert.Same(anonymous, acl.Resolve("anonymous"));
        Assert.Equal("Permission denied: token with AccessorID '00000000-0000-0000-0000-000000000002' lacks permission 'service:read' on \"orders\"",
            anonymous.ServiceRead("orders").Message);

        using var allow = NewService("allow");
        await allow.LoadAsync(Ct);
        Assert.True(allow.Resolve(null).ServiceWrite("orders").IsAllowed);
    }

    [Fact]
    public async Task Updating_a_token_keeps_its_secret_and_expiry()
    {
        await _acl.CreatePolicyAsync(new("writer", Rules: """{"service":{"orders":{"policy":"write"}}}"""), Ct);
        var created = await _acl.CreateTokenAsync(new("before", ExpirationTtl: TimeSpan.FromHours(1)), Ct);
        Assert.False(_acl.Resolve(created.SecretId).ServiceWrite("orders").IsAllowed);

        var updated = await _acl.UpdateTokenAsync(created.Token.AccessorId, new("after", [new AclPolicyLink(Name: "writer")]), Ct);
        Assert.Equal("after", updated!.Description);
        Assert.Equal(created.Token.ExpirationTime, updated.ExpirationTime);
        Assert.True(updated.ModifyIndex > created.Token.ModifyIndex);
        Assert.True(_acl.Resolve(created.SecretId).ServiceWrite("orders").IsAllowed);

        var ex = await Assert.ThrowsAsync<AclValidationException>(() => _acl.UpdateTokenAsync(created.Token.AccessorId, new(ExpirationTtl: TimeSpan.FromHours(2)), Ct));
        Assert.Equal("expiration_time", Assert.Single(ex.Errors).Field);
        Assert.Null(await _acl.UpdateTokenAsync(Guid.NewGuid().ToString(), new("x"), Ct));
    }

    [Fact]
    public async Task Chosen_ids_are_kept_validated_and_never_echoed()
    {
        var accessor = Guid.NewGuid().ToString();
        var secret = Guid.NewGuid().ToString();
        var created = await _acl.CreateTokenAsync(new("migrated", AccessorId: accessor, SecretId: secret), Ct);
        Assert.Equal(accessor, created.Token.AccessorId);
        Assert.Equal(accessor, _acl.Resolve(secret).AccessorId);
        Assert.DoesNotContain(secret, new AclTokenRequest(SecretId: secret).ToString(), StringComparison.Ordinal);

        var reused = await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreateTokenAsync(new(AccessorId: accessor, SecretId: secret), Ct));
        Assert.Equal(["accessor_id", "secret_id"], reused.Errors.Select(e => e.Field));
        Assert.DoesNotContain(secret, reused.Message, StringComparison.Ordinal);
        var malformed = await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreateTokenAsync(new(AccessorId: "x", SecretId: "weak"), Ct));
        Assert.Equal(["accessor_id", "secret_id"], malformed.Errors.Select(e => e.Field));
        await Assert.ThrowsAsync<AclValidationException>(() => _acl.CreateTokenAsync(new(AccessorId: AclToken.AnonymousAccessorId), Ct));
        await Assert.ThrowsAsync<AclValidationException>(() => _acl.UpdateTokenAsync(accessor, new(SecretId: Guid.NewGuid().ToString()), Ct));

        await Assert.ThrowsAsync<AclValidationException>(() => _acl.BootstrapAsync("not-a-guid", Ct));
        var bootstrapSecret = Guid.NewGuid().ToString();
        var root = await _acl.BootstrapAsync(bootstrapSecret, Ct);
        Assert.Equal(bootstrapSecret, root.SecretId);
        Assert.True(_acl.Resolve(bootstrapSecret).IsManagement);
    }

    [Fact]
    public async Task Deleting_a_token_revokes_it()
    {
        var token = await _acl.CreateTokenAsync(new("t"), Ct);
        _acl.Resolve(token.SecretId);
        Assert.True(await _acl.DeleteTokenAsync(token.Token.AccessorId, Ct));
        var version = _acl.Version;
        Assert.False(await _acl.DeleteTokenAsync(token.Token.AccessorId, Ct));
        Assert.Equal(version, _acl.Version); // nothing deleted, nothing saved
        Assert.False(_acl.TryResolve(token.SecretId, out _));
    }

    [Fact]
    public async Task Disabled_acls_allow_everything_and_read_nothing()
    {
        using var off = new AclService(new ThrowingStore(), Options.Create(new AclOptions()), _time, NullLogger<AclService>.Instance);
        await off.LoadAsync(Ct);
        Assert.Same(Authorizer.AllowAll, off.Resolve("anything"));
        Assert.True(off.Resolve(null).AclWrite().IsAllowed);
        await Assert.ThrowsAsync<InvalidOperationException>(() => off.BootstrapAsync(Ct));
    }

    [Fact]
    public async Task A_write_that_loses_the_compare_and_set_reloads_and_retries()
    {
        using var nodeB = NewService();
        await nodeB.LoadAsync(Ct);
        await _acl.CreatePolicyAsync(new("from-a"), Ct);
        var policy = await nodeB.CreatePolicyAsync(new("from-b"), Ct); // B was at version 0: its first save is refused
        Assert.Equal(2, policy.CreateIndex);
        Assert.NotNull(nodeB.GetPolicyByName("from-a"));
        var again = await Assert.ThrowsAsync<AclValidationException>(() => nodeB.CreatePolicyAsync(new("from-a"), Ct));
        Assert.Equal("name", Assert.Single(again.Errors).Field);
    }

    [Fact]
    public async Task An_unreachable_store_at_start_is_retried_in_the_background()
    {
        var token = await _acl.CreateTokenAsync(new("t"), Ct);
        var flaky = new FlakyStore(_store, failures: 2);
        using var acl = new AclService(flaky, Options.Create(new AclOptions { Enabled = true, DefaultPolicy = "deny" }), _time, NullLogger<AclService>.Instance);
        await acl.LoadAsync(Ct); // does not throw
        Assert.False(acl.TryResolve(token.SecretId, out _));
        for (var i = 0; i < 500 && !acl.TryResolve(token.SecretId, out _); i++)
        {
            _time.Advance(AclService.LoadRetryInterval);
            await Task.Delay(10, Ct);
        }
        Assert.True(acl.TryResolve(token.SecretId, out _));
        Assert.Equal(3, flaky.Loads);
    }

    private sealed class FlakyStore(IAclStore inner, int failures) : IAclStore
    {
        public int Loads;

        public event EventHandler? Changed { add { } remove { } }

        public Task<AclState> LoadAsync(CancellationToken cancellationToken)
            => Interlocked.Increment(ref Loads) <= failures
                ? throw new Registry.Storage.RegistryStoreUnavailableException("unreachable")
                : inner.LoadAsync(cancellationToken);

        public Task<bool> SaveAsync(AclState state, long expectedVersion, CancellationToken cancellationToken) => inner.SaveAsync(state, expectedVersion, cancellationToken);
    }

    private sealed class ThrowingStore : IAclStore
    {
        public event EventHandler? Changed { add { } remove { } }

        public Task<AclState> LoadAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("read while disabled");

        public Task<bool> SaveAsync(AclState state, long expectedVersion, CancellationToken cancellationToken) => throw new InvalidOperationException("saved while disabled");
    }
}

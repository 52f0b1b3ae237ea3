using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Acl;

/// <summary>
/// The ACL engine: bootstrap, policies, tokens, and <see cref="Resolve"/> from a secret to a cached
/// <see cref="Authorizer"/>. Every interface (native API, Consul API, events, blocking queries, DNS, KV) asks it.
/// </summary>
/// <remarks>
/// Reads (<see cref="Resolve"/>, gets and lists) never lock: they use an immutable snapshot of the state. Changes are
/// serialized, saved whole through <see cref="IAclStore"/> (compare-and-set on the version, reloaded and retried when
/// another node saved first) and only then swapped in, which also drops every cached authorizer. With
/// <see cref="AclOptions.Enabled"/> off, <see cref="Resolve"/> returns <see cref="Authorizer.AllowAll"/> and the store is
/// never read.
/// </remarks>
public sealed partial class AclService : IDisposable
{
    private const int SaveAttempts = 20;

    private readonly IAclStore _store;
    private readonly AclOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AclService> _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile AclSnapshot _snapshot;
    private readonly CancellationTokenSource _stopping = new();
    private int _watching;

    /// <summary>Creates the service; the state is read by <see cref="LoadAsync"/>.</summary>
    public AclService(IAclStore store, IOptions<AclOptions> options, TimeProvider timeProvider, ILogger<AclService> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _options = options.Value;
        _time = timeProvider;
        _logger = logger;
        _snapshot = new AclSnapshot(AclState.Empty, _options);
    }

    /// <summary>Whether ACLs are enforced.</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>The version of the state in use (0 before anything was saved).</summary>
    public long Version => _snapshot.State.Version;

    /// <summary>Whether bootstrap has run.</summary>
    public bool IsBootstrapped => _snapshot.State.Bootstrapped;

    /// <summary>
    /// Reads the state from the store and follows other nodes' changes. Does nothing while ACLs are off. When a shared
    /// store cannot be reached (<see cref="RegistryStoreUnavailableException"/>, as in hybrid mode), it does not fail:
    /// it keeps retrying every <see cref="LoadRetryInterval"/> in the background, and until the state loads only the
    /// anonymous token works (every secret is <c>ACL not found</c>).
    /// </summary>
    /// <exception cref="Storage.EmbeddedStoreException">The embedded file is damaged or unreadable.</exception>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
            return;
        if (Interlocked.Exchange(ref _watching, 1) == 0)
            _store.Changed += OnStoreChanged;
        try
        {
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
            await EnsureInitialManagementTokenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryStoreUnavailableException ex)
        {
            Log.LoadDeferred(_logger, ex.Message);
            _ = Task.Run(() => RetryLoadAsync(_stopping.Token), CancellationToken.None);
        }
    }

    /// <summary>Creates the <see cref="AclOptions.InitialManagementToken"/> when no token has its secret: by bootstrap on a fresh state, else as a <c>global-management</c> token.</summary>
    private async Task EnsureInitialManagementTokenAsync(CancellationToken cancellationToken)
    {
        if (_options.InitialManagementToken is not { } secret || TryResolve(secret, out _))
            return;
        try
        {
            if (!IsBootstrapped)
            {
                await BootstrapAsync(secret, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        catch (AclBootstrapNotAllowedException)
        {
            // another node bootstrapped first: add the token as below
        }
        if (!TryResolve(secret, out _))
        {
            await CreateTokenAsync(new AclTokenRequest("Initial Management Token (Switchboard:Acl:InitialManagementToken)",
                [new AclPolicyLink(AclPolicy.GlobalManagementId, AclPolicy.GlobalManagementName)], SecretId: secret), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How often a load that found the store unreachable is retried.</summary>
    public static readonly TimeSpan LoadRetryInterval = TimeSpan.FromSeconds(1);

    private async Task RetryLoadAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(LoadRetryInterval, _time, stoppingToken).ConfigureAwait(false);
                await ReloadAsync(stoppingToken).ConfigureAwait(false);
                await EnsureInitialManagementTokenAsync(stoppingToken).ConfigureAwait(false);
                Log.Loaded(_logger, Version);
                return;
            }
            catch (RegistryStoreUnavailableException)
            {
                // still unreachable
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.ReloadFailed(_logger, ex);
                return;
            }
        }
    }

    /// <summary>
    /// The authorizer of the token whose secret is <paramref name="secretId"/>: the anonymous token's when it is null or
    /// empty (or Consul's <c>anonymous</c>); <see cref="Authorizer.AllowAll"/> while ACLs are off. Compiled once per token
    /// and cached until the state changes.
    /// </summary>
    /// <exception cref="AclNotFoundException">No token has this secret, or it expired (Consul's 403 <c>ACL not found</c>).</exception>
    internal Authorizer Resolve(string? secretId)
        => TryResolve(secretId, out var authorizer) ? authorizer : throw new AclNotFoundException();

    /// <summary>As <see cref="Resolve"/>, returning false instead of throwing for an unknown or expired secret.</summary>
    internal bool TryResolve(string? secretId, [NotNullWhen(true)] out Authorizer? authorizer)
    {
        if (!_options.Enabled)
        {
            authorizer = Authorizer.AllowAll;
            return true;
        }
        var snapshot = _snapshot;
        if (string.IsNullOrEmpty(secretId) || secretId == "anonymous")
        {
            authorizer = snapshot.Anonymous;
            return true;
        }
        if (!snapshot.TryGetResolved(secretId, out authorizer))
        {
            authorizer = secretId.Length <= AclSecrets.MaxLength ? snapshot.Authorize(AclSecrets.Key(secretId)) : null;
            if (authorizer is not null)
                snapshot.RememberResolved(secretId, authorizer);
        }
        if (authorizer?.ExpirationTime is { } expires && _time.GetUtcNow() >= expires)
            authorizer = null;
        return authorizer is not null;
    }

    /// <summary>The token whose secret is <paramref name="secretId"/> (Consul's <c>/v1/acl/token/self</c>).</summary>
    /// <exception cref="AclNotFoundException">No token has this secret, or it expired.</exception>
    public AclToken Self(string? secretId)
    {
        if (string.IsNullOrEmpty(secretId) || secretId.Length > AclSecrets.MaxLength
            || _snapshot.FindBySecret(AclSecrets.Key(secretId)) is not { } stored || stored.Token.IsExpiredAt(_time.GetUtcNow()))
            throw new AclNotFoundException();
        return stored.Token;
    }

    /// <summary>
    /// Creates the <c>global-management</c> policy and the first management token, once (Consul's
    /// <c>/v1/acl/bootstrap</c>). The returned object holds the secret: show it once, never log it.
    /// </summary>
    /// <exception cref="AclBootstrapNotAllowedException">Bootstrap already ran (on any node of a shared store).</exception>
    public Task<CreatedAclToken> BootstrapAsync(CancellationToken cancellationToken) => BootstrapAsync(null, cancellationToken);

    /// <summary>As <see cref="BootstrapAsync(CancellationToken)"/>, with a caller-chosen secret (Consul's <c>BootstrapSecret</c>).</summary>
    /// <param name="secretId">The secret, a GUID; null for a random one.</param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    /// <exception cref="AclBootstrapNotAllowedException">Bootstrap already ran (on any node of a shared store).</exception>
    /// <exception cref="AclValidationException"><paramref name="secretId"/> is not a GUID.</exception>
    public async Task<CreatedAclToken> BootstrapAsync(string? secretId, CancellationToken cancellationToken)
    {
        var created = await ChangeAsync((state, version, now) =>
        {
            if (state.Bootstrapped)
                throw new AclBootstrapNotAllowedException();
            var errors = new List<AclValidationError>();
            ValidateChosenIds(null, secretId, state, errors);
            if (errors.Count > 0)
                throw new AclValidationException(errors);
            var policies = state.Policies.Any(p => p.IsGlobalManagement) ? state.Policies : [AclPolicy.GlobalManagement(version), .. state.Policies];
            var (stored, created) = NewToken("Bootstrap Token (Global Management)", [new AclPolicyLink(AclPolicy.GlobalManagementId, AclPolicy.GlobalManagementName)], null, now, version, secretId: secretId);
            return (state with { Bootstrapped = true, Policies = policies, Tokens = [.. state.Tokens, stored] }, created);
        }, cancellationToken).ConfigureAwait(false);
        Log.Bootstrapped(_logger, created.Token.AccessorId);
        return created;
    }

    /// <summary>Applies <paramref name="change"/> to the current state, saves the result and swaps it in.</summary>
    /// <param name="change">Builds the next state from the current one, the next version and now; throws to refuse; returns the current state itself to change nothing.</param>
    /// <param name="cancellationToken">Stops waiting for the gate or the store.</param>
    private async Task<T> ChangeAsync<T>(Func<AclState, long, DateTimeOffset, (AclState State, T Result)> change, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var current = _snapshot.State;
                var now = _time.GetUtcNow();
                var version = current.Version + 1;
                var (next, result) = change(current, version, now);
                if (ReferenceEquals(next, current))
                    return result; // nothing to change (a delete of what is not there): no save, no new version
                next = next with { Version = version, Tokens = [.. next.Tokens.Where(t => !t.Token.IsExpiredAt(now))] };
                if (await _store.SaveAsync(next, current.Version, cancellationToken).ConfigureAwait(false))
                {
                    _snapshot = new AclSnapshot(next, _options);
                    return result;
                }
                if (attempt == SaveAttempts)
                    throw new RegistryStoreUnavailableException($"the ACL state kept changing under this node ({SaveAttempts} attempts); try again", retryAfter: TimeSpan.FromSeconds(1));
                // Another node saved first. Past the first retry, back off a random few milliseconds (contention between
                // nodes, not ACL time: real time, not the TimeProvider) so two busy writers stop colliding.
                if (attempt > 1)
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken).ConfigureAwait(false);
                await SwapInStoredAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SwapInStoredAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Reads the stored state and uses it when its version differs from the one in use. Under the write gate. The store
    /// is the truth: an older version (a shared key wiped and rewritten) replaces the state too, or every save would fail.
    /// </summary>
    private async Task SwapInStoredAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (stored.Version != _snapshot.State.Version)
        {
            _snapshot = new AclSnapshot(stored, _options);
            Log.Reloaded(_logger, stored.Version);
        }
    }

    private void OnStoreChanged(object? sender, EventArgs e)
        => _ = Task.Run(async () =>
        {
            try
            {
                await ReloadAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The next change message or this node's next write (a failed compare-and-set reloads) catches up.
                Log.ReloadFailed(_logger, ex);
            }
        });

    private void EnsureEnabled()
    {
        if (!_options.Enabled)
            throw new InvalidOperationException(AclMessages.Disabled);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _watching, 0) == 1)
            _store.Changed -= OnStoreChanged;
        _stopping.Cancel();
        _stopping.Dispose();
    }
}

using System.Collections.Concurrent;

namespace Switchboard.Registry.Acl;

/// <summary>
/// One immutable ACL state with its indexes and the authorizers compiled from it. Readers use it without locks; a change
/// builds a new snapshot and swaps it in, which also drops every cached authorizer.
/// </summary>
internal sealed class AclSnapshot
{
    private readonly Dictionary<SecretKey, AclStoredToken> _byHash;
    private readonly Dictionary<string, AclRules> _rules;
    private readonly ConcurrentDictionary<SecretKey, Authorizer> _authorizers = new();

    /// <summary>
    /// Secrets that resolved, by their text: a later request with the same secret skips the SHA-256 (most of a check's
    /// cost). In memory only, dropped with the snapshot at the next ACL change; at most one entry per token, since a secret
    /// enters only once it named a token (a request holds the same text in its headers anyway).
    /// </summary>
    private readonly ConcurrentDictionary<string, Authorizer> _resolvedSecrets = new(StringComparer.Ordinal);
    private readonly AclAccess _default;

    public AclSnapshot(AclState state, AclOptions options)
    {
        State = state;
        _default = options.DefaultAccess;
        // A state this engine saved has no duplicates; one edited by hand may: the first wins rather than failing the load.
        _byHash = Index(state.Tokens.Where(t => SecretKey.FromHex(t.SecretHash) != default), t => SecretKey.FromHex(t.SecretHash), t => t, null);
        TokensById = Index(state.Tokens, t => t.Token.AccessorId, t => t.Token, StringComparer.Ordinal);
        PoliciesById = Index(state.Policies, p => p.Id, p => p, StringComparer.Ordinal);
        PoliciesByName = Index(state.Policies, p => p.Name, p => p, StringComparer.Ordinal);
        // Stored rules were validated when saved; a rule set that no longer parses grants nothing rather than failing every request.
        _rules = Index(PoliciesById.Values, p => p.Id, p => AclRulesParser.TryParse(p.Rules, out var rules, out _) ? rules : AclRules.Empty, StringComparer.Ordinal);
        var anonymous = options.AnonymousPolicies.Select(FindPolicy).OfType<AclPolicy>().Select(p => new AclPolicyLink(p.Id, p.Name)).ToList();
        Anonymous = Compile(AclToken.AnonymousAccessorId, anonymous, null);
    }

    public AclState State { get; }

    public Dictionary<string, AclToken> TokensById { get; }

    public Dictionary<string, AclPolicy> PoliciesById { get; }

    public Dictionary<string, AclPolicy> PoliciesByName { get; }

    /// <summary>The authorizer of requests without a token.</summary>
    public Authorizer Anonymous { get; }

    private static Dictionary<TKey, TValue> Index<TItem, TKey, TValue>(IEnumerable<TItem> items, Func<TItem, TKey> key, Func<TItem, TValue> value, IEqualityComparer<TKey>? comparer)
        where TKey : notnull
    {
        var index = new Dictionary<TKey, TValue>(comparer);
        foreach (var item in items)
            index.TryAdd(key(item), value(item));
        return index;
    }

    /// <summary>The policy with this id, else with this name.</summary>
    public AclPolicy? FindPolicy(string idOrName)
        => PoliciesById.TryGetValue(idOrName, out var byId) ? byId : PoliciesByName.GetValueOrDefault(idOrName);

    public AclStoredToken? FindBySecret(SecretKey key) => _byHash.GetValueOrDefault(key);

    /// <summary>The authorizer of a secret that resolved before in this snapshot.</summary>
    public bool TryGetResolved(string secret, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Authorizer? authorizer)
        => _resolvedSecrets.TryGetValue(secret, out authorizer);

    /// <summary>Remembers that <paramref name="secret"/> resolved to <paramref name="authorizer"/> (at most one secret per token: a token has one).</summary>
    public void RememberResolved(string secret, Authorizer authorizer)
    {
        if (_resolvedSecrets.Count < _byHash.Count)
            _resolvedSecrets.TryAdd(secret, authorizer);
    }

    /// <summary>The token's authorizer, compiled on first use and then returned as is until the state changes.</summary>
    public Authorizer? Authorize(SecretKey secretHash)
    {
        if (_authorizers.TryGetValue(secretHash, out var cached))
            return cached;
        if (!_byHash.TryGetValue(secretHash, out var stored))
            return null; // unknown secrets are not cached: the cache holds at most one entry per token
        return _authorizers.GetOrAdd(secretHash, _ => Compile(stored.Token.AccessorId, stored.Token.Policies, stored.Token.ExpirationTime));
    }

    private Authorizer Compile(string accessorId, IReadOnlyList<AclPolicyLink> links, DateTimeOffset? expires)
    {
        var rules = new List<AclRules>(links.Count);
        var management = false;
        foreach (var link in links)
        {
            if (link.Id is null || !_rules.TryGetValue(link.Id, out var parsed))
                continue; // a deleted policy grants nothing
            management |= link.Id == AclPolicy.GlobalManagementId;
            rules.Add(parsed);
        }
        return Authorizer.Compile(accessorId, rules, management, _default, expires);
    }
}

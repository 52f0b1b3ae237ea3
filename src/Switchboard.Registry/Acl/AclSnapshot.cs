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
    private readonly AclAccess _default;

    public AclSnapshot(AclState state, AclOptions options)
    {
        State = state;
        _default = options.DefaultAccess;
        _byHash = state.Tokens.ToDictionary(t => SecretKey.FromHex(t.SecretHash));
        TokensById = state.Tokens.ToDictionary(t => t.Token.AccessorId, t => t.Token, StringComparer.Ordinal);
        PoliciesById = state.Policies.ToDictionary(p => p.Id, StringComparer.Ordinal);
        PoliciesByName = state.Policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        // Stored rules were validated when saved; a rule set that no longer parses grants nothing rather than failing every request.
        _rules = state.Policies.ToDictionary(p => p.Id, p => AclRulesParser.TryParse(p.Rules, out var rules, out _) ? rules : AclRules.Empty, StringComparer.Ordinal);
        var anonymous = options.AnonymousPolicies.Select(FindPolicy).OfType<AclPolicy>().Select(p => new AclPolicyLink(p.Id, p.Name)).ToList();
        Anonymous = Compile(AclToken.AnonymousAccessorId, anonymous, null);
    }

    public AclState State { get; }

    public Dictionary<string, AclToken> TokensById { get; }

    public Dictionary<string, AclPolicy> PoliciesById { get; }

    public Dictionary<string, AclPolicy> PoliciesByName { get; }

    /// <summary>The authorizer of requests without a token.</summary>
    public Authorizer Anonymous { get; }

    /// <summary>The policy with this id, else with this name.</summary>
    public AclPolicy? FindPolicy(string idOrName)
        => PoliciesById.TryGetValue(idOrName, out var byId) ? byId : PoliciesByName.GetValueOrDefault(idOrName);

    public AclStoredToken? FindBySecret(SecretKey key) => _byHash.GetValueOrDefault(key);

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

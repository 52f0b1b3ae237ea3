namespace Switchboard.Registry.Acl;

/// <summary>
/// The parsed rules of one policy, in Consul's JSON form: <c>{"service_prefix":{"":{"policy":"read"}},
/// "service":{"orders":{"policy":"write"}},"acl":"write","operator":"read"}</c>. Built by <see cref="AclRulesParser"/>.
/// </summary>
public sealed record AclRules
{
    // Declared before Empty: static fields initialize in order.
    private static readonly IReadOnlyDictionary<string, AclAccess> EmptyMap = new Dictionary<string, AclAccess>(StringComparer.Ordinal);

    /// <summary>Rules that are empty: a policy granting nothing.</summary>
    public static readonly AclRules Empty = new();

    /// <summary><c>service</c>: exact service names.</summary>
    public IReadOnlyDictionary<string, AclAccess> Service { get; init; } = EmptyMap;

    /// <summary><c>service_prefix</c>: service name prefixes (<c>""</c> matches every service).</summary>
    public IReadOnlyDictionary<string, AclAccess> ServicePrefix { get; init; } = EmptyMap;

    /// <summary><c>agent</c>: exact node names.</summary>
    public IReadOnlyDictionary<string, AclAccess> Agent { get; init; } = EmptyMap;

    /// <summary><c>agent_prefix</c>: node name prefixes.</summary>
    public IReadOnlyDictionary<string, AclAccess> AgentPrefix { get; init; } = EmptyMap;

    /// <summary><c>key</c>: exact keys (for the KV store to come).</summary>
    public IReadOnlyDictionary<string, AclAccess> Key { get; init; } = EmptyMap;

    /// <summary><c>key_prefix</c>: key prefixes (for the KV store to come).</summary>
    public IReadOnlyDictionary<string, AclAccess> KeyPrefix { get; init; } = EmptyMap;

    /// <summary><c>acl</c>: managing tokens and policies.</summary>
    public AclAccess Acl { get; init; }

    /// <summary><c>operator</c>: cluster-level operations.</summary>
    public AclAccess Operator { get; init; }
}

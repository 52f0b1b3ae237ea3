namespace Switchboard.Registry.Acl;

/// <summary>
/// What one token may do, compiled once from its policies (and cached by <see cref="AclService"/> until the ACL state
/// changes), so a check is a dictionary lookup and a short prefix scan, never a policy evaluation.
/// </summary>
/// <remarks>
/// Per resource kind: an exact rule (<c>service</c>, <c>agent</c>, <c>key</c>) beats every prefix rule; among prefix rules
/// the longest matching prefix wins; rules for the same name from several policies keep deny, then write, then read;
/// write implies read. With no matching rule the default policy decides (allow grants write), except for <c>acl</c>,
/// which without a rule only a management token has (as in Consul). A management token may do everything.
/// </remarks>
internal sealed class Authorizer
{
    private readonly AclNameRules _services;
    private readonly AclNameRules _agents;
    private readonly AclNameRules _keys;
    private readonly AclAccess _acl;
    private readonly AclAccess _operator;
    private readonly AclAccess _default;

    private Authorizer(string accessorId, bool management, AclAccess defaultAccess, DateTimeOffset? expirationTime,
        AclNameRules services, AclNameRules agents, AclNameRules keys, AclAccess acl, AclAccess @operator)
    {
        AccessorId = accessorId;
        IsManagement = management;
        _default = defaultAccess;
        ExpirationTime = expirationTime;
        _services = services;
        _agents = agents;
        _keys = keys;
        _acl = acl;
        _operator = @operator;
    }

    /// <summary>Allows everything: what every request gets while ACLs are off.</summary>
    public static readonly Authorizer AllowAll = new("", management: true, AclAccess.Write, null, AclNameRules.Empty, AclNameRules.Empty, AclNameRules.Empty, AclAccess.Write, AclAccess.Write);

    /// <summary>Compiles the rules of a token's policies.</summary>
    /// <param name="accessorId">The token's accessor id, named in denials.</param>
    /// <param name="rules">The parsed rules of each of its policies.</param>
    /// <param name="management">Whether one of its policies is <c>global-management</c>.</param>
    /// <param name="defaultPolicy">The access when no rule matches: <see cref="AclAccess.Write"/> (allow) or <see cref="AclAccess.Deny"/>.</param>
    /// <param name="expirationTime">When the token expires, if it does.</param>
    public static Authorizer Compile(string accessorId, IReadOnlyCollection<AclRules> rules, bool management, AclAccess defaultPolicy, DateTimeOffset? expirationTime = null)
    {
        ArgumentNullException.ThrowIfNull(accessorId);
        ArgumentNullException.ThrowIfNull(rules);
        var acl = AclAccess.None;
        var op = AclAccess.None;
        foreach (var r in rules)
        {
            acl = AclPrecedence.Strongest(acl, r.Acl);
            op = AclPrecedence.Strongest(op, r.Operator);
        }
        return new(accessorId, management, defaultPolicy, expirationTime,
            AclNameRules.Compile(rules.Select(r => r.Service), rules.Select(r => r.ServicePrefix)),
            AclNameRules.Compile(rules.Select(r => r.Agent), rules.Select(r => r.AgentPrefix)),
            AclNameRules.Compile(rules.Select(r => r.Key), rules.Select(r => r.KeyPrefix)),
            acl, op);
    }

    /// <summary>The accessor id of the token (<c>00000000-0000-0000-0000-000000000002</c> for the anonymous token; empty while ACLs are off).</summary>
    public string AccessorId { get; }

    /// <summary>Whether the token holds <c>global-management</c> (or ACLs are off).</summary>
    public bool IsManagement { get; }

    /// <summary>When the token expires, if it does.</summary>
    public DateTimeOffset? ExpirationTime { get; }

    /// <summary>May the token read service <paramref name="name"/> (its instances, health, events)?</summary>
    public AclDecision ServiceRead(string name) => Named(_services, "service", AclAccess.Read, name);

    /// <summary>May the token register, change or deregister instances of service <paramref name="name"/>?</summary>
    public AclDecision ServiceWrite(string name) => Named(_services, "service", AclAccess.Write, name);

    /// <summary>May the token read the agent (node) <paramref name="nodeName"/>?</summary>
    public AclDecision AgentRead(string nodeName) => Named(_agents, "agent", AclAccess.Read, nodeName);

    /// <summary>May the token operate the agent (node) <paramref name="nodeName"/>?</summary>
    public AclDecision AgentWrite(string nodeName) => Named(_agents, "agent", AclAccess.Write, nodeName);

    /// <summary>May the token read key <paramref name="key"/> of the KV store?</summary>
    public AclDecision KeyRead(string key) => Named(_keys, "key", AclAccess.Read, key);

    /// <summary>May the token write key <paramref name="key"/> of the KV store?</summary>
    public AclDecision KeyWrite(string key) => Named(_keys, "key", AclAccess.Write, key);

    /// <summary>
    /// May the token write every key starting with <paramref name="prefix"/> (a recursive delete)? As Consul's
    /// <c>KeyWritePrefix</c>: the prefix itself must be writable and no more specific rule under it may grant less.
    /// </summary>
    public AclDecision KeyWritePrefix(string prefix)
    {
        var decision = KeyWrite(prefix);
        if (!decision.IsAllowed || IsManagement || !_keys.AnyUnderDenies(prefix, AclAccess.Write))
            return decision;
        return new(false, AccessorId, "key", AclAccess.Write, prefix);
    }

    /// <summary>
    /// May the token read secret key <paramref name="key"/>? Only a management token or an explicit <c>key</c> /
    /// <c>key_prefix</c> rule granting read covers a secret: the default policy never does.
    /// </summary>
    public AclDecision KeyReadExplicit(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var granted = IsManagement ? AclAccess.Write : _keys.Lookup(key);
        return new(Grants(granted, AclAccess.Read), AccessorId, "key", AclAccess.Read, key);
    }

    /// <summary>May the token read tokens and policies?</summary>
    public AclDecision AclRead() => Unnamed(_acl, AclAccess.Deny, "acl", AclAccess.Read);

    /// <summary>May the token create, change and delete tokens and policies?</summary>
    public AclDecision AclWrite() => Unnamed(_acl, AclAccess.Deny, "acl", AclAccess.Write);

    /// <summary>May the token read cluster-level state?</summary>
    public AclDecision OperatorRead() => Unnamed(_operator, _default, "operator", AclAccess.Read);

    /// <summary>May the token change cluster-level state?</summary>
    public AclDecision OperatorWrite() => Unnamed(_operator, _default, "operator", AclAccess.Write);

    private AclDecision Named(AclNameRules rules, string resource, AclAccess needed, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var granted = IsManagement ? AclAccess.Write : rules.Lookup(name);
        return new(Grants(granted == AclAccess.None ? _default : granted, needed), AccessorId, resource, needed, name);
    }

    private AclDecision Unnamed(AclAccess rule, AclAccess fallback, string resource, AclAccess needed)
    {
        var granted = IsManagement ? AclAccess.Write : rule == AclAccess.None ? fallback : rule;
        return new(Grants(granted, needed), AccessorId, resource, needed, null);
    }

    private static bool Grants(AclAccess granted, AclAccess needed)
        => granted == AclAccess.Write || granted == AclAccess.Read && needed == AclAccess.Read;

    /// <inheritdoc />
    public override string ToString() => $"Authorizer for {AccessorId}{(IsManagement ? " (management)" : "")}";
}

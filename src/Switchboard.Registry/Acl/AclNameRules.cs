namespace Switchboard.Registry.Acl;

/// <summary>
/// The compiled rules of one resource kind (service, agent, key) across a token's policies: an exact rule beats every
/// prefix rule, the longest matching prefix beats shorter ones, and rules for the same name or prefix merged from
/// several policies keep the strongest level (deny, then write, then read).
/// </summary>
internal sealed class AclNameRules
{
    public static readonly AclNameRules Empty = new(new Dictionary<string, AclAccess>(StringComparer.Ordinal), []);

    private readonly Dictionary<string, AclAccess> _exact;
    private readonly KeyValuePair<string, AclAccess>[] _prefixes; // longest first

    private AclNameRules(Dictionary<string, AclAccess> exact, KeyValuePair<string, AclAccess>[] prefixes)
    {
        _exact = exact;
        _prefixes = prefixes;
    }

    public static AclNameRules Compile(IEnumerable<IReadOnlyDictionary<string, AclAccess>> exact, IEnumerable<IReadOnlyDictionary<string, AclAccess>> prefixes)
    {
        var exactMap = Merge(exact);
        var prefixMap = Merge(prefixes);
        if (exactMap.Count == 0 && prefixMap.Count == 0)
            return Empty;
        return new(exactMap, [.. prefixMap.OrderByDescending(p => p.Key.Length).ThenBy(p => p.Key, StringComparer.Ordinal)]);
    }

    /// <summary>The access the most specific matching rule grants, or <see cref="AclAccess.None"/> when no rule matches.</summary>
    public AclAccess Lookup(string name)
    {
        if (_exact.TryGetValue(name, out var access))
            return access;
        foreach (var (prefix, level) in _prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
                return level;
        }
        return AclAccess.None;
    }

    /// <summary>Whether a rule more specific than <paramref name="prefix"/> (an exact name or a longer prefix starting with it) grants less than <paramref name="needed"/>.</summary>
    public bool AnyUnderDenies(string prefix, AclAccess needed)
    {
        foreach (var (name, level) in _exact)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && !(level == AclAccess.Write || level == AclAccess.Read && needed == AclAccess.Read))
                return true;
        }
        foreach (var (name, level) in _prefixes)
        {
            if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal) && !(level == AclAccess.Write || level == AclAccess.Read && needed == AclAccess.Read))
                return true;
        }
        return false;
    }

    private static Dictionary<string, AclAccess> Merge(IEnumerable<IReadOnlyDictionary<string, AclAccess>> maps)
    {
        var merged = new Dictionary<string, AclAccess>(StringComparer.Ordinal);
        foreach (var map in maps)
        {
            foreach (var (name, access) in map)
                merged[name] = merged.TryGetValue(name, out var before) ? AclPrecedence.Strongest(before, access) : access;
        }
        return merged;
    }
}

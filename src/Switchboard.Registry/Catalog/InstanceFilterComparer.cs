using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Registry.Catalog;

/// <summary>
/// Compares filters by what they select, without allocating: tags as a set (any order, repeats ignored), metadata as a
/// set of pairs. The key of <see cref="ServiceView"/>'s filtered answers, so a lookup of a cached answer costs no garbage.
/// </summary>
internal sealed class InstanceFilterComparer : IEqualityComparer<InstanceFilter>
{
    public static readonly InstanceFilterComparer Instance = new();

    public bool Equals(InstanceFilter? x, InstanceFilter? y)
    {
        if (ReferenceEquals(x, y))
            return true;
        if (x is null || y is null || x.Healthy != y.Healthy || !string.Equals(x.Version, y.Version, StringComparison.Ordinal))
            return false;
        return SameTags(x.Tags, y.Tags) && SameTags(y.Tags, x.Tags) && SameMetadata(x.Metadata, y.Metadata);
    }

    public int GetHashCode([DisallowNull] InstanceFilter obj)
    {
        var hash = obj.Healthy ? 1 : 0;
        if (obj.Version is not null)
            hash = HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(obj.Version));
        var tags = 0;
        for (var i = 0; i < obj.Tags.Count; i++)
            tags |= StringComparer.Ordinal.GetHashCode(obj.Tags[i]); // order and repeats do not change an OR
        var metadata = 0;
        if (obj.Metadata.Count > 0)
        {
            foreach (var (key, value) in obj.Metadata)
                metadata ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), StringComparer.Ordinal.GetHashCode(value));
        }
        return HashCode.Combine(hash, tags, metadata);
    }

    private static bool SameTags(IReadOnlyList<string> these, IReadOnlyList<string> those)
    {
        // Index loops: an interface foreach would allocate an enumerator on every lookup.
        for (var i = 0; i < these.Count; i++)
        {
            var found = false;
            for (var j = 0; j < those.Count; j++)
            {
                if (string.Equals(these[i], those[j], StringComparison.Ordinal))
                {
                    found = true;
                    break;
                }
            }
            if (!found)
                return false;
        }
        return true;
    }

    private static bool SameMetadata(IReadOnlyDictionary<string, string> x, IReadOnlyDictionary<string, string> y)
    {
        if (x.Count != y.Count)
            return false;
        if (x.Count == 0)
            return true;
        foreach (var (key, value) in x)
        {
            if (!y.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
                return false;
        }
        return true;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
namespace Switchboard.Registry.Catalog.Compaction;

/// <summary>
/// A lossy table of values many instances repeat (service names, versions, tags, metadata): an equal value asked for again
/// gets the one copy already held, so a million instances of ten thousand services do not hold a million copies of the
/// same strings and maps. One slot per hash: a colliding value replaces the slot (never a wrong answer, only a missed
/// share), so the table never grows and holds at most <see cref="Slots"/> values of each kind however many are unique.
/// </summary>
/// <remarks>Lock-free: a slot is read and written as one reference; a lost race only costs a share.</remarks>
internal static class SharedValues
{
    /// <summary>How many values of each kind the table keeps.</summary>
    public const int Slots = 1 << 15;

    /// <summary>Strings longer than this are not shared (long outputs and unique values would only churn the table).</summary>
    public const int MaxSharedLength = 128;

    private static readonly string?[] Strings = new string?[Slots];
    private static readonly IReadOnlyList<string>?[] TagLists = new IReadOnlyList<string>?[Slots];
    private static readonly IReadOnlyDictionary<string, string>?[] Maps = new IReadOnlyDictionary<string, string>?[Slots];

    /// <summary>The shared copy of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    [return: NotNullIfNotNull(nameof(value))]
    public static string? String(string? value)
    {
        if (value is null)
            return null; // as read from an older file without the field: kept as it was
        if (value.Length == 0)
            return string.Empty;
        if (value.Length > MaxSharedLength)
            return value;
        var slot = (int)((uint)value.GetHashCode() % Slots);
        var held = Volatile.Read(ref Strings[slot]);
        if (held is not null && string.Equals(held, value, StringComparison.Ordinal))
            return held;
        Volatile.Write(ref Strings[slot], value);
        return value;
    }

    /// <summary>The shared copy of a tag list (order kept), its strings shared too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    [return: NotNullIfNotNull(nameof(tags))]
    public static IReadOnlyList<string>? Tags(IReadOnlyList<string>? tags)
    {
        if (tags is null)
            return null;
        if (tags.Count == 0)
            return [];
        var hash = new HashCode();
        foreach (var tag in tags)
            hash.Add(tag, StringComparer.Ordinal);
        var slot = (int)((uint)hash.ToHashCode() % Slots);
        var held = Volatile.Read(ref TagLists[slot]);
        if (held is not null && SameTags(held, tags))
            return held;
        var copy = new string[tags.Count];
        for (var i = 0; i < copy.Length; i++)
            copy[i] = String(tags[i]);
        var shared = Array.AsReadOnly(copy);
        Volatile.Write(ref TagLists[slot], shared);
        return shared;
    }

    /// <summary>The shared copy of a metadata map (entry order kept), as a <see cref="CompactMap"/> with shared strings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    [return: NotNullIfNotNull(nameof(metadata))]
    public static IReadOnlyDictionary<string, string>? Metadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
            return null;
        if (metadata.Count == 0)
            return Switchboard.Instances.ServiceInstance.EmptyMetadata;
        var hash = new HashCode();
        foreach (var (key, value) in metadata)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }
        var slot = (int)((uint)hash.ToHashCode() % Slots);
        var held = Volatile.Read(ref Maps[slot]);
        if (held is not null && SameEntries(held, metadata))
            return held;
        var shared = CompactMap.From(metadata, String);
        Volatile.Write(ref Maps[slot], shared);
        return shared;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool SameTags(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
            return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    /// <summary>Same entries in the same order (the order is what the JSON answers show).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool SameEntries(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count)
            return false;
        using var other = b.GetEnumerator();
        foreach (var (key, value) in a)
        {
            if (!other.MoveNext() || !string.Equals(key, other.Current.Key, StringComparison.Ordinal) || !string.Equals(value, other.Current.Value, StringComparison.Ordinal))
                return false;
        }
        return true;
    }
}

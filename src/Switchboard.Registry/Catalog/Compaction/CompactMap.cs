using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Registry.Catalog.Compaction;

/// <summary>
/// An immutable string map in one array (keys and values interleaved, in the order given): about a quarter of a
/// <see cref="Dictionary{TKey, TValue}"/>'s memory for the few entries instance metadata has. Lookups scan the keys,
/// which for at most <see cref="Switchboard.Registration.RegistrationLimits.MaxMetadataEntries"/> short keys costs what hashing would.
/// </summary>
internal sealed class CompactMap : IReadOnlyDictionary<string, string>
{
    private readonly string[] _items; // key0, value0, key1, value1, ...

    private CompactMap(string[] items) => _items = items;

    /// <summary>A compact copy of <paramref name="source"/>, each key and value passed through <paramref name="share"/>.</summary>
    public static CompactMap From(IReadOnlyDictionary<string, string> source, Func<string, string> share)
    {
        var items = new string[source.Count * 2];
        var i = 0;
        foreach (var (key, value) in source)
        {
            items[i++] = share(key);
            items[i++] = share(value);
        }
        return new CompactMap(items);
    }

    public int Count => _items.Length / 2;

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"'{key}' is not in the map.");

    public IEnumerable<string> Keys
    {
        get
        {
            for (var i = 0; i < _items.Length; i += 2)
                yield return _items[i];
        }
    }

    public IEnumerable<string> Values
    {
        get
        {
            for (var i = 1; i < _items.Length; i += 2)
                yield return _items[i];
        }
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < _items.Length; i += 2)
        {
            if (string.Equals(_items[i], key, StringComparison.Ordinal))
            {
                value = _items[i + 1];
                return true;
            }
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _items.Length; i += 2)
            yield return new KeyValuePair<string, string>(_items[i], _items[i + 1]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

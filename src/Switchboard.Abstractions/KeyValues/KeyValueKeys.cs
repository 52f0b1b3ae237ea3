using System.Text;

namespace Switchboard.KeyValues;

/// <summary>
/// The rules of key/value keys: one leading <c>/</c> is dropped (<c>/config/a</c> is <c>config/a</c>); a key is non-empty,
/// at most <see cref="KeyValueLimits.MaxKeyBytes"/> UTF-8 bytes, valid Unicode, without control characters (NUL
/// included) and without a <c>..</c> segment. A prefix follows the same rules but may be empty (every key).
/// </summary>
public static class KeyValueKeys
{
    /// <summary>Checks a key and returns it without its leading <c>/</c>.</summary>
    /// <param name="key">The key as sent.</param>
    /// <param name="normalized">The key to store (without a leading <c>/</c>); empty when invalid.</param>
    /// <returns>Null when valid; else why not, as a sentence starting with <c>key</c>.</returns>
    public static string? ValidateKey(string? key, out string normalized)
    {
        var error = Validate(key, "key", out normalized);
        if (error is null && normalized.Length == 0)
            error = "key must not be empty.";
        return error;
    }

    /// <summary>Checks a prefix (which may be empty: every key) and returns it without its leading <c>/</c>.</summary>
    /// <param name="prefix">The prefix as sent (null: empty).</param>
    /// <param name="field">The field named in the error (<c>key</c> or <c>prefix</c>).</param>
    /// <param name="normalized">The prefix to match (without a leading <c>/</c>); empty when invalid.</param>
    /// <returns>Null when valid; else why not, as a sentence starting with <paramref name="field"/>.</returns>
    public static string? ValidatePrefix(string? prefix, string field, out string normalized)
        => Validate(prefix, field, out normalized);

    private static string? Validate(string? value, string field, out string normalized)
    {
        normalized = "";
        value ??= "";
        var trimmed = value.StartsWith('/') ? value[1..] : value;
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c == '\0')
                return $"{field} must not contain NUL.";
            if (char.IsControl(c))
                return $"{field} must not contain control characters (found U+{(int)c:X4} at position {i}).";
            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < trimmed.Length && char.IsLowSurrogate(trimmed[i + 1]) && ++i > 0))
                return $"{field} must be valid Unicode.";
        }
        var bytes = Encoding.UTF8.GetByteCount(trimmed);
        if (bytes > KeyValueLimits.MaxKeyBytes)
            return $"{field} must be at most {KeyValueLimits.MaxKeyBytes} bytes in UTF-8 (it is {bytes}).";
        foreach (var segment in trimmed.Split('/'))
        {
            if (segment == "..")
                return $"{field} must not contain a '..' segment.";
        }
        normalized = trimmed;
        return null;
    }

    /// <summary>
    /// The keys of <paramref name="keys"/> (sorted, all starting with <paramref name="prefix"/>) as Consul's <c>?keys&amp;separator=</c>
    /// lists them: a key is cut after the first <paramref name="separator"/> that follows the prefix, and repeats are dropped.
    /// </summary>
    public static IReadOnlyList<string> Fold(IEnumerable<string> keys, string prefix, string? separator)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(prefix);
        var result = new List<string>();
        string? last = null;
        foreach (var key in keys)
        {
            var folded = key;
            if (!string.IsNullOrEmpty(separator))
            {
                var at = key.IndexOf(separator, prefix.Length, StringComparison.Ordinal);
                if (at >= 0)
                    folded = key[..(at + separator.Length)];
            }
            if (folded != last)
                result.Add(folded);
            last = folded;
        }
        return result;
    }
}

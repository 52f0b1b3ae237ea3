using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Switchboard.Client.Configuration;

/// <summary>
/// Turns the keys under a prefix into configuration data: the prefix is cut off, <c>/</c> becomes <c>:</c>, values are
/// UTF-8 text. Folder keys (ending in <c>/</c>) and values that are not UTF-8 are left out. JSON objects and arrays are
/// expanded below their key only when asked.
/// </summary>
internal static class KeyValueMapping
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Dictionary<string, string?> ToData(IEnumerable<KeyValueItem> items, string prefix, bool expandJson, List<string>? skipped = null)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (!item.Key.StartsWith(prefix, StringComparison.Ordinal) || item.Key.EndsWith('/'))
                continue;
            var key = item.Key[prefix.Length..].Replace("/", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            string text;
            try
            {
                text = StrictUtf8.GetString(item.Value);
            }
            catch (DecoderFallbackException)
            {
                skipped?.Add(item.Key);
                continue;
            }
            if (expandJson && LooksLikeJson(text) && TryExpand(key, text, data))
                continue;
            data[key] = text;
        }
        return data;
    }

    /// <summary>True when both hold the same keys with the same values (keys compared as configuration does).</summary>
    public static bool Same(IDictionary<string, string?> a, IDictionary<string, string?> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var other) && string.Equals(pair.Value, other, StringComparison.Ordinal));

    private static bool LooksLikeJson(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.Length > 0 && trimmed[0] is '{' or '[';
    }

    private static bool TryExpand(string key, string text, Dictionary<string, string?> data)
    {
        var expanded = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            Flatten(key, document.RootElement, expanded);
        }
        catch (JsonException)
        {
            return false; // not JSON after all: kept as text
        }
        foreach (var (k, v) in expanded)
            data[k] = v;
        return true;
    }

    private static void Flatten(string path, JsonElement element, Dictionary<string, string?> data)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Flatten(ConfigurationPath.Combine(path, property.Name), property.Value, data);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    Flatten(ConfigurationPath.Combine(path, (i++).ToString(CultureInfo.InvariantCulture)), item, data);
                break;
            case JsonValueKind.Null:
                data[path] = null;
                break;
            case JsonValueKind.String:
                data[path] = element.GetString();
                break;
            default:
                data[path] = element.GetRawText();
                break;
        }
    }
}

using System.Text.Json;

namespace Switchboard.Server.Consul;

/// <summary>Thrown while reading a request body that does not decode; answered with 400 <c>Request decode failed: …</c>.</summary>
internal sealed class ConsulDecodeException(string message) : Exception(message);

/// <summary>
/// A JSON object read the way Consul's decoder reads request bodies: field names match case-insensitively, and
/// snake_case matches PascalCase (<c>enable_tag_override</c> = <c>EnableTagOverride</c>).
/// </summary>
internal readonly struct ConsulJsonObject
{
    private readonly Dictionary<string, (string Name, JsonElement Value)> _fields;

    private ConsulJsonObject(Dictionary<string, (string Name, JsonElement Value)> fields) => _fields = fields;

    /// <summary>Reads <paramref name="element"/> as an object; <paramref name="what"/> names it in the error.</summary>
    public static ConsulJsonObject From(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new ConsulDecodeException($"'{what}' expected a map, got '{Kind(element)}'");
        var fields = new Dictionary<string, (string, JsonElement)>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
            fields[Normalize(property.Name)] = (property.Name, property.Value);
        return new ConsulJsonObject(fields);
    }

    /// <summary>The lookup form of a field name: lowercase, underscores dropped.</summary>
    public static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>Whether any of the fields is present and not null.</summary>
    public bool Has(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (TryGet(name, out _))
                return true;
        }
        return false;
    }

    /// <summary>The field's value when present and not null.</summary>
    public bool TryGet(string name, out JsonElement value)
    {
        if (_fields.TryGetValue(Normalize(name), out var field) && field.Value.ValueKind != JsonValueKind.Null)
        {
            value = field.Value;
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>A string field; null when absent.</summary>
    public string? String(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw TypeError(name, "string", value);
    }

    /// <summary>An integer field; null when absent.</summary>
    public long? Integer(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
            return n;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue)
            return (long)d;
        throw TypeError(name, "int", value);
    }

    /// <summary>A boolean field; false when absent.</summary>
    public bool Boolean(string name)
    {
        if (!TryGet(name, out var value))
            return false;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw TypeError(name, "bool", value),
        };
    }

    /// <summary>A list of strings; null when absent.</summary>
    public List<string>? Strings(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Array)
            throw TypeError(name, "[]string", value);
        var list = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw TypeError($"{name}[{list.Count}]", "string", item));
        return list;
    }

    /// <summary>A map of strings (keys kept as sent); null when absent.</summary>
    public Dictionary<string, string>? StringMap(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Object)
            throw TypeError(name, "map[string]string", value);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
            map[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : throw TypeError($"{name}[{entry.Name}]", "string", entry.Value);
        return map;
    }

    /// <summary>A nested object; null when absent.</summary>
    public ConsulJsonObject? Object(string name) => TryGet(name, out var value) ? From(value, name) : null;

    /// <summary>A list of objects; null when absent.</summary>
    public List<ConsulJsonObject>? Objects(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Array)
            throw TypeError(name, "[]map", value);
        var list = new List<ConsulJsonObject>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
            list.Add(From(item, $"{name}[{list.Count}]"));
        return list;
    }

    /// <summary>
    /// A duration: a Go duration string (<c>"10s"</c>, <c>"1m30s"</c>) or, as Consul reads a JSON number, nanoseconds.
    /// Null when absent.
    /// </summary>
    public TimeSpan? Duration(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var nanoseconds))
            return TimeSpan.FromTicks((long)Math.Clamp(nanoseconds / 100, long.MinValue / 2, long.MaxValue / 2));
        if (value.ValueKind != JsonValueKind.String)
            throw TypeError(name, "duration", value);
        var text = value.GetString()!;
        if (text.Length == 0)
            return null;
        return Json.Durations.TryParse(text, out var duration) ? duration : throw new ConsulDecodeException($"time: invalid duration \"{text}\"");
    }

    private static ConsulDecodeException TypeError(string name, string expected, JsonElement got)
        => new($"'{name}' expected type '{expected}', got unconvertible type '{Kind(got)}'");

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "float64",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "[]interface {}",
        JsonValueKind.Object => "map[string]interface {}",
        _ => "<nil>",
    };
}

namespace Switchboard.Server.Consul;

/// <summary>
/// Consul's service metadata rules, and the <c>consul-</c> keys Switchboard keeps Consul-only settings in.
/// </summary>
/// <remarks>
/// Consul reserves the <c>consul-</c> key prefix, so no Consul client can set these keys; the Consul API hides them
/// from <c>Meta</c> and shows them as the fields they stand for. The native API shows them as ordinary metadata.
/// </remarks>
internal static class ConsulMeta
{
    /// <summary>The prefix Consul reserves for its own keys.</summary>
    public const string ReservedPrefix = "consul-";

    /// <summary>Present (<c>true</c>) when the service was registered with <c>EnableTagOverride</c>.</summary>
    public const string EnableTagOverride = "consul-enable-tag-override";

    /// <summary>The <c>Weights.Warning</c> of the service, when it is not the default 1.</summary>
    public const string WarningWeight = "consul-weights-warning";

    private const int MaxPairs = 64, MaxKeyLength = 128, MaxValueLength = 512;

    /// <summary>Checks metadata as Consul does; returns the error text (after <c>Invalid Service Meta: </c>) or null.</summary>
    public static string? Validate(IReadOnlyDictionary<string, string> meta)
    {
        if (meta.Count > MaxPairs)
            return $"Node metadata cannot contain more than {MaxPairs} key/value pairs";
        foreach (var (key, value) in meta)
        {
            var reason = key.Length == 0 ? "Key cannot be blank"
                : !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? "Key contains invalid characters"
                : key.Length > MaxKeyLength ? $"Key is too long (limit: {MaxKeyLength} characters)"
                : key.StartsWith(ReservedPrefix, StringComparison.Ordinal) ? $"Key prefix '{ReservedPrefix}' is reserved for internal use"
                : value.Length > MaxValueLength ? $"Value is too long (limit: {MaxValueLength} characters)"
                : null;
            if (reason is not null)
                return $"Couldn't load metadata pair ('{key}', '{value}'): {reason}";
        }
        return null;
    }

    /// <summary>The metadata a Consul client sees: without the reserved keys.</summary>
    public static IReadOnlyDictionary<string, string> Visible(IReadOnlyDictionary<string, string> metadata)
    {
        var hidden = false;
        foreach (var key in metadata.Keys)
        {
            if (key.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            {
                hidden = true;
                break;
            }
        }
        if (!hidden)
            return metadata;
        var visible = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            if (!key.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                visible[key] = value;
        }
        return visible;
    }

    /// <summary>Whether the service was registered with <c>EnableTagOverride</c>.</summary>
    public static bool TagOverride(IReadOnlyDictionary<string, string> metadata)
        => metadata.TryGetValue(EnableTagOverride, out var value) && value == "true";

    /// <summary>The service's <c>Weights.Warning</c>.</summary>
    public static int WarningWeightOf(IReadOnlyDictionary<string, string> metadata)
        => metadata.TryGetValue(WarningWeight, out var value) && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var weight) ? weight : 1;
}

using Switchboard.Registration;

namespace Switchboard.Server.Consul;

/// <summary>
/// Maps Consul service names onto Switchboard's (lowercase DNS labels: letters, digits, hyphens, dots).
/// </summary>
/// <remarks>
/// Consul matches service names case-insensitively, so the name is lowercased; Consul warns that names with
/// underscores are not DNS-compatible, so <c>_</c> becomes <c>-</c>. Every route applies the same mapping, so a client
/// finds its service under the name it registered (<c>My_Service</c> is stored and listed as <c>my-service</c>).
/// A name that is still not valid after the mapping (spaces, other punctuation, a label over 63 characters, a hyphen
/// at either end of a label) is refused with 400 rather than stored under a name the native API, the SDK and DNS
/// could not address.
/// </remarks>
internal static class ConsulNames
{
    /// <summary>The Switchboard name for <paramref name="consulName"/> (which may still be invalid: see <see cref="TryMap"/>).</summary>
    public static string Map(string consulName)
    {
        if (IsMapped(consulName))
            return consulName; // the usual case: no copy on every read
        var chars = consulName.Trim().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            chars[i] = chars[i] == '_' ? '-' : char.ToLowerInvariant(chars[i]);
        return new string(chars);
    }

    private static bool IsMapped(string name)
    {
        if (name.Length == 0 || char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
            return false;
        foreach (var c in name)
        {
            if (c == '_' || char.ToLowerInvariant(c) != c)
                return false;
        }
        return true;
    }

    /// <summary>Maps <paramref name="consulName"/> for a registration; returns false with Consul-style 400 text when it cannot be mapped.</summary>
    public static bool TryMap(string consulName, out string serviceName, out string error)
    {
        serviceName = Map(consulName);
        if (ServiceNames.Validate(serviceName) is { } reason)
        {
            error = $"Invalid service name \"{consulName}\": as a Switchboard name (lowercase, '_' read as '-') it {reason}";
            return false;
        }
        error = "";
        return true;
    }
}

namespace Switchboard.Registry.Acl;

/// <summary>Consul's wording of ACL errors, so that Consul clients that match on it keep working.</summary>
internal static class AclMessages
{
    /// <summary>The start of every 403 for a missing permission.</summary>
    public const string PermissionDenied = "Permission denied";

    /// <summary>A secret that names no token, or an expired token's (Consul answers 403 with it).</summary>
    public const string NotFound = "ACL not found";

    /// <summary>A second bootstrap (Consul answers 403 with <c>Permission denied: </c> before it).</summary>
    public const string BootstrapNotAllowed = "ACL bootstrap no longer allowed";

    /// <summary>Any ACL request while ACLs are off (Consul answers 401 with it).</summary>
    public const string Disabled = "ACL support disabled";

    /// <summary>A name quoted as Go's <c>%q</c> quotes it (Consul's messages): <c>"payments"</c>.</summary>
    internal static string Quote(string name) => "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

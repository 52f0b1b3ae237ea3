namespace Switchboard.Registry.Acl;

/// <summary>How accesses of equal specificity combine (two policies of one token, or one name given twice): deny, then write, then read.</summary>
internal static class AclPrecedence
{
    public static AclAccess Strongest(AclAccess a, AclAccess b) => a >= b ? a : b;

    /// <summary>The wire name of an access level: <c>read</c>, <c>write</c>, <c>deny</c>.</summary>
    public static string Name(AclAccess access) => access switch
    {
        AclAccess.Read => "read",
        AclAccess.Write => "write",
        AclAccess.Deny => "deny",
        _ => "none",
    };
}

namespace Switchboard.Registry.Acl;

/// <summary>The access a rule grants. When rules of equal specificity meet, the higher value wins: deny beats write beats read.</summary>
public enum AclAccess
{
    /// <summary>No rule: the default policy decides.</summary>
    None = 0,

    /// <summary><c>read</c>: read only.</summary>
    Read = 1,

    /// <summary><c>write</c>: read and write.</summary>
    Write = 2,

    /// <summary><c>deny</c>: nothing, whatever a less specific rule grants.</summary>
    Deny = 3,
}

namespace Switchboard.Registry.Acl;

/// <summary>The secret names no token, or names an expired one: Consul's 403 <c>ACL not found</c>.</summary>
public sealed class AclNotFoundException : Exception
{
    /// <summary>Creates the exception with Consul's message.</summary>
    public AclNotFoundException()
        : base(AclMessages.NotFound)
    {
    }
}

/// <summary>The ACL system was already bootstrapped: Consul's 403 <c>Permission denied: ACL bootstrap no longer allowed</c>.</summary>
public sealed class AclBootstrapNotAllowedException : Exception
{
    /// <summary>Creates the exception with Consul's message.</summary>
    public AclBootstrapNotAllowedException()
        : base(AclMessages.BootstrapNotAllowed)
    {
    }
}

/// <summary>A check denied: the message is Consul's 403 text naming the token's accessor id and the missing permission.</summary>
public sealed class AclPermissionDeniedException : Exception
{
    /// <summary>Creates the exception from a denied check.</summary>
    public AclPermissionDeniedException(AclDecision decision)
        : base(decision.Message)
    {
        Decision = decision;
    }

    /// <summary>The denied check.</summary>
    public AclDecision Decision { get; }
}

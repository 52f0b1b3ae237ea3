namespace Switchboard.Registry.Acl;

/// <summary>
/// The answer of an <see cref="Authorizer"/> check: allowed, or denied with the missing permission as Consul names it
/// (<c>service:write</c> on <c>"payments"</c>). A value type: an allowed check allocates nothing.
/// </summary>
public readonly record struct AclDecision
{
    internal AclDecision(bool allowed, string accessorId, string resource, AclAccess needed, string? name)
    {
        IsAllowed = allowed;
        AccessorId = accessorId;
        Resource = resource;
        Needed = needed;
        Name = name;
    }

    /// <summary>Whether the token may do it.</summary>
    public bool IsAllowed { get; }

    /// <summary>The accessor id of the token checked.</summary>
    public string AccessorId { get; }

    /// <summary>The resource kind: <c>service</c>, <c>agent</c>, <c>key</c>, <c>acl</c>, <c>operator</c>.</summary>
    public string Resource { get; }

    /// <summary>The access the check needed (<see cref="AclAccess.Read"/> or <see cref="AclAccess.Write"/>).</summary>
    public AclAccess Needed { get; }

    /// <summary>The service, node or key checked; null for <c>acl</c> and <c>operator</c>.</summary>
    public string? Name { get; }

    /// <summary>The permission as Consul names it: <c>service:write</c>.</summary>
    public string Permission => Resource + ":" + AclPrecedence.Name(Needed);

    /// <summary>
    /// Consul's 403 text for a denial: <c>Permission denied: token with AccessorID '…' lacks permission 'service:write' on "payments"</c>
    /// (without the <c>on</c> part for <c>acl</c> and <c>operator</c>); empty when allowed.
    /// </summary>
    public string Message
    {
        get
        {
            if (IsAllowed)
                return "";
            var message = $"{AclMessages.PermissionDenied}: token with AccessorID '{AccessorId}' lacks permission '{Permission}'";
            return Name is null ? message : message + " on " + AclMessages.Quote(Name);
        }
    }

    /// <summary>Throws <see cref="AclPermissionDeniedException"/> when denied.</summary>
    public void ThrowIfDenied()
    {
        if (!IsAllowed)
            throw new AclPermissionDeniedException(this);
    }

    /// <inheritdoc />
    public override string ToString() => IsAllowed ? $"allowed {Permission}" : Message;
}

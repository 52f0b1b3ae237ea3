namespace Switchboard.Registry.Acl;

/// <summary>
/// A token as it may be shown and stored: never its secret (only <see cref="AclStoredToken"/> holds the secret's
/// hash). The secret is returned once, by <see cref="CreatedAclToken"/>.
/// </summary>
public sealed record AclToken
{
    /// <summary>The accessor id of the anonymous token (used when a request carries no token).</summary>
    public const string AnonymousAccessorId = "00000000-0000-0000-0000-000000000002";

    /// <summary>The public id of the token (a GUID), safe to log and show.</summary>
    public required string AccessorId { get; init; }

    /// <summary>Free text.</summary>
    public string Description { get; init; } = "";

    /// <summary>The policies the token holds, with their id and name.</summary>
    public IReadOnlyList<AclPolicyLink> Policies { get; init; } = [];

    /// <summary>When the token was created.</summary>
    public DateTimeOffset CreateTime { get; init; }

    /// <summary>When the token stops working, if it does.</summary>
    public DateTimeOffset? ExpirationTime { get; init; }

    /// <summary>The ACL state version that created it.</summary>
    public long CreateIndex { get; init; }

    /// <summary>The ACL state version that last changed it.</summary>
    public long ModifyIndex { get; init; }

    /// <summary>Whether the token has expired at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpirationTime is { } expires && now >= expires;

    /// <inheritdoc />
    public bool Equals(AclToken? other)
        => other is not null && AccessorId == other.AccessorId && Description == other.Description && Policies.SequenceEqual(other.Policies)
            && CreateTime == other.CreateTime && ExpirationTime == other.ExpirationTime && CreateIndex == other.CreateIndex && ModifyIndex == other.ModifyIndex;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(AccessorId, ModifyIndex);
}

namespace Switchboard.Registry.Acl;

/// <summary>The whole ACL state, immutable: what <see cref="IAclStore"/> loads and saves in one piece.</summary>
public sealed record AclState
{
    /// <summary>The state before bootstrap: nothing.</summary>
    public static readonly AclState Empty = new();

    /// <summary>Bumped by every change; the compare-and-set of shared stores compares it.</summary>
    public long Version { get; init; }

    /// <summary>Whether bootstrap has run (it runs once).</summary>
    public bool Bootstrapped { get; init; }

    /// <summary>Every policy.</summary>
    public IReadOnlyList<AclPolicy> Policies { get; init; } = [];

    /// <summary>Every token, with its secret's hash.</summary>
    public IReadOnlyList<AclStoredToken> Tokens { get; init; } = [];

    /// <inheritdoc />
    public bool Equals(AclState? other)
        => other is not null && Version == other.Version && Bootstrapped == other.Bootstrapped
            && Policies.SequenceEqual(other.Policies) && Tokens.SequenceEqual(other.Tokens);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Version, Bootstrapped, Policies.Count, Tokens.Count);
}

namespace Switchboard.Registry.Acl;

/// <summary>
/// A token just created (or bootstrapped) with its secret: the only time the secret exists outside the caller.
/// <see cref="ToString"/> leaves the secret out, so logging this object never leaks it.
/// </summary>
public sealed class CreatedAclToken
{
    internal CreatedAclToken(AclToken token, string secretId)
    {
        Token = token;
        SecretId = secretId;
    }

    /// <summary>The token.</summary>
    public AclToken Token { get; }

    /// <summary>The secret (a GUID-formatted 128-bit random value): show it to the caller once, never log it.</summary>
    public string SecretId { get; }

    /// <inheritdoc />
    public override string ToString() => $"CreatedAclToken {{ AccessorId = {Token.AccessorId}, SecretId = (hidden) }}";
}

namespace Switchboard.Registry.Acl;

/// <summary>A token as stores keep it: the token and the SHA-256 of its secret (lowercase hex), never the secret.</summary>
/// <param name="Token">The token.</param>
/// <param name="SecretHash">SHA-256 of the secret id's UTF-8 bytes, 64 lowercase hex digits.</param>
public sealed record AclStoredToken(AclToken Token, string SecretHash)
{
    /// <inheritdoc />
    public override string ToString() => $"AclStoredToken {{ AccessorId = {Token.AccessorId} }}";
}

namespace Switchboard.Registry.Acl;

/// <summary>What a policy create or update asks for.</summary>
/// <param name="Name">Unique name: 1 to 128 letters, digits, <c>-</c> or <c>_</c>.</param>
/// <param name="Description">Free text.</param>
/// <param name="Rules">Rules as Consul's JSON (<see cref="AclRulesParser"/>); null or empty for none.</param>
public sealed record AclPolicyRequest(string Name, string? Description = null, string? Rules = null);

/// <summary>What a token create asks for.</summary>
/// <param name="Description">Free text.</param>
/// <param name="Policies">The policies, each by id or by name.</param>
/// <param name="ExpirationTime">When the token stops working (Consul's <c>ExpirationTime</c>); not with <paramref name="ExpirationTtl"/>.</param>
/// <param name="ExpirationTtl">How long from now the token works (Consul's <c>ExpirationTTL</c>); not with <paramref name="ExpirationTime"/>.</param>
/// <param name="AccessorId">A caller-chosen accessor id (a GUID, as Consul allows for migrations); null for a new one. Create only.</param>
/// <param name="SecretId">A caller-chosen secret (a GUID, as Consul allows for migrations); null for a new random one. Create only.</param>
public sealed record AclTokenRequest(
    string? Description = null,
    IReadOnlyList<AclPolicyLink>? Policies = null,
    DateTimeOffset? ExpirationTime = null,
    TimeSpan? ExpirationTtl = null,
    string? AccessorId = null,
    string? SecretId = null)
{
    /// <inheritdoc />
    public override string ToString() => $"AclTokenRequest {{ Description = {Description}, AccessorId = {AccessorId}, SecretId = {(SecretId is null ? "null" : "(hidden)")} }}";
}

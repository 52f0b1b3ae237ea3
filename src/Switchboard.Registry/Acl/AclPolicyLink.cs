namespace Switchboard.Registry.Acl;

/// <summary>A token's reference to a policy. Requests may give the id or the name; stored links carry both.</summary>
/// <param name="Id">The policy's id, or null to find it by name.</param>
/// <param name="Name">The policy's name, or null to find it by id.</param>
public sealed record AclPolicyLink(string? Id = null, string? Name = null);

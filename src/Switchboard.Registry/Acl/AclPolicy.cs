using System.Text.Json.Serialization;

namespace Switchboard.Registry.Acl;

/// <summary>A named, reusable set of rules (Consul's ACL policy).</summary>
public sealed record AclPolicy
{
    /// <summary>The id of the built-in policy that allows everything.</summary>
    public const string GlobalManagementId = "00000000-0000-0000-0000-000000000001";

    /// <summary>The name of the built-in policy that allows everything.</summary>
    public const string GlobalManagementName = "global-management";

    /// <summary>The policy's id (a GUID).</summary>
    public required string Id { get; init; }

    /// <summary>Its unique name: 1 to 128 letters, digits, <c>-</c> or <c>_</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Free text.</summary>
    public string Description { get; init; } = "";

    /// <summary>The rules as JSON, as given (validated by <see cref="AclRulesParser"/>); empty for <c>global-management</c>.</summary>
    public string Rules { get; init; } = "";

    /// <summary>The ACL state version that created it.</summary>
    public long CreateIndex { get; init; }

    /// <summary>The ACL state version that last changed it.</summary>
    public long ModifyIndex { get; init; }

    /// <summary>Whether this is the built-in <c>global-management</c> policy.</summary>
    [JsonIgnore]
    public bool IsGlobalManagement => Id == GlobalManagementId;

    /// <summary>The built-in policy created by bootstrap.</summary>
    internal static AclPolicy GlobalManagement(long index) => new()
    {
        Id = GlobalManagementId,
        Name = GlobalManagementName,
        Description = "Builtin Policy that grants unlimited access",
        CreateIndex = index,
        ModifyIndex = index,
    };
}

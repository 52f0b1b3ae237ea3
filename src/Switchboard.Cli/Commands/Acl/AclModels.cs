using System.Text.Json.Serialization;

namespace Switchboard.Cli.Commands.Acl;

// The shapes the CLI reads from and sends to /v1/acl: Consul's field names. Only what the commands print or send.

/// <summary>A policy (<c>Rules</c> absent in the list).</summary>
internal sealed record AclPolicyView
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Rules { get; init; }

    public long CreateIndex { get; init; }

    public long ModifyIndex { get; init; }
}

/// <summary>A token's link to a policy.</summary>
internal sealed record AclPolicyLinkView
{
    [JsonPropertyName("ID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }
}

/// <summary>A token; <see cref="SecretId"/> is the secret only in the answer to a create or a bootstrap (<c>&lt;hidden&gt;</c> elsewhere).</summary>
internal sealed record AclTokenView
{
    [JsonPropertyName("AccessorID")]
    public string AccessorId { get; init; } = "";

    [JsonPropertyName("SecretID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SecretId { get; init; }

    public string Description { get; init; } = "";

    public IReadOnlyList<AclPolicyLinkView> Policies { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpirationTime { get; init; }

    public DateTimeOffset CreateTime { get; init; }

    public long CreateIndex { get; init; }

    public long ModifyIndex { get; init; }
}

/// <summary>The body of <c>PUT /v1/acl/policy</c>.</summary>
internal sealed record AclPolicyCreate(string Name, string? Description, string? Rules);

/// <summary>The body of <c>PUT /v1/acl/token</c>.</summary>
internal sealed record AclTokenCreate
{
    public string? Description { get; init; }

    public IReadOnlyList<AclPolicyLinkView> Policies { get; init; } = [];

    [JsonPropertyName("ExpirationTTL")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExpirationTtl { get; init; }
}

/// <summary>The CLI's serializer of the ACL shapes (Consul's field names as declared).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AclPolicyView))]
[JsonSerializable(typeof(AclPolicyView[]))]
[JsonSerializable(typeof(AclTokenView))]
[JsonSerializable(typeof(AclTokenView[]))]
[JsonSerializable(typeof(AclPolicyCreate))]
[JsonSerializable(typeof(AclTokenCreate))]
[JsonSerializable(typeof(bool))]
internal sealed partial class CliAclJsonContext : JsonSerializerContext;

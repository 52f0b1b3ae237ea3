using System.Text.Json.Serialization;

namespace Switchboard.Server.Consul.Acl;

// The JSON shapes of Consul's /v1/acl answers (hashicorp/consul api-docs/acl, structs.ACLPolicy and structs.ACLToken):
// property names as Consul spells them. Namespace and Partition (Consul Enterprise), roles and identities are left out.

/// <summary>A token's link to a policy (<c>{"ID": …, "Name": …}</c>).</summary>
internal sealed record ConsulAclPolicyLink
{
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    public required string Name { get; init; }
}

/// <summary>A policy as <c>GET /v1/acl/policy/:id</c> and the policy writes show it; the list leaves <see cref="Rules"/> out.</summary>
internal sealed record ConsulAclPolicy
{
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>The rules as given; null (left out) in the list, as Consul's <c>ACLPolicyListStub</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Rules { get; init; }

    /// <summary>Always empty (valid in every datacenter), left out as Consul leaves an empty list out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Datacenters { get; init; }

    public required string Hash { get; init; }

    public required long CreateIndex { get; init; }

    public required long ModifyIndex { get; init; }
}

/// <summary>A token as the token routes and the list show it. <see cref="SecretId"/> is the secret only in the answer to a create or a bootstrap.</summary>
internal sealed record ConsulAclToken
{
    [JsonPropertyName("AccessorID")]
    public required string AccessorId { get; init; }

    /// <summary>The secret in a create's or bootstrap's answer; Consul's redacted <c>&lt;hidden&gt;</c> everywhere else.</summary>
    [JsonPropertyName("SecretID")]
    public required string SecretId { get; init; }

    public required string Description { get; init; }

    public required IReadOnlyList<ConsulAclPolicyLink> Policies { get; init; }

    /// <summary>Always false: every token is valid on every node of the store.</summary>
    public required bool Local { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpirationTime { get; init; }

    public required DateTimeOffset CreateTime { get; init; }

    public required string Hash { get; init; }

    public required long CreateIndex { get; init; }

    public required long ModifyIndex { get; init; }
}

/// <summary>The source-generated serializer of the ACL shapes: property names exactly as declared.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(ConsulAclPolicy))]
[JsonSerializable(typeof(IReadOnlyList<ConsulAclPolicy>))]
[JsonSerializable(typeof(ConsulAclToken))]
[JsonSerializable(typeof(IReadOnlyList<ConsulAclToken>))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
internal sealed partial class ConsulAclJsonContext : JsonSerializerContext;

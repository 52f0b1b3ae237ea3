using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Consul.Acl;

/// <summary>The engine's policies and tokens in Consul's shapes, written as Consul writes JSON.</summary>
internal static class ConsulAclViews
{
    /// <summary>What reads and lists show instead of a secret: Consul's redacted form.</summary>
    public const string HiddenSecret = "<hidden>";

    private static readonly ConsulAclJsonContext Compact = new(ConsulResults.SerializerOptions(indented: false));
    private static readonly ConsulAclJsonContext Pretty = new(ConsulResults.SerializerOptions(indented: true));

    /// <summary><paramref name="value"/> as JSON (indented with <c>?pretty</c>).</summary>
    public static IResult Json<T>(HttpContext context, T value, Func<ConsulAclJsonContext, JsonTypeInfo<T>> type)
        => ConsulResults.Json(context, value, type(Compact), type(Pretty));

    /// <summary>A policy; with <paramref name="withRules"/> false, the list's stub without its rules.</summary>
    public static ConsulAclPolicy Policy(AclPolicy policy, bool withRules = true) => new()
    {
        Id = policy.Id,
        Name = policy.Name,
        Description = policy.Description,
        Rules = withRules ? policy.Rules : null,
        Hash = Hash(policy.Name, policy.Description, policy.Rules),
        CreateIndex = policy.CreateIndex,
        ModifyIndex = policy.ModifyIndex,
    };

    /// <summary>A token; <paramref name="secretId"/> only for the answer to a create or a bootstrap, else <see cref="HiddenSecret"/>.</summary>
    public static ConsulAclToken Token(AclToken token, string? secretId = null) => new()
    {
        AccessorId = token.AccessorId,
        SecretId = secretId ?? HiddenSecret,
        Description = token.Description,
        Policies = [.. token.Policies.Select(l => new ConsulAclPolicyLink { Id = l.Id ?? "", Name = l.Name ?? "" })],
        Local = false,
        ExpirationTime = token.ExpirationTime,
        CreateTime = token.CreateTime,
        Hash = Hash([token.Description, token.ExpirationTime?.ToString("O") ?? "", .. token.Policies.Select(l => l.Id ?? "")]),
        CreateIndex = token.CreateIndex,
        ModifyIndex = token.ModifyIndex,
    };

    /// <summary>Consul's <c>Hash</c>: a digest of what the object grants (never a secret), base64; it changes when the object does.</summary>
    private static string Hash(params IEnumerable<string> parts)
        => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', parts))));
}

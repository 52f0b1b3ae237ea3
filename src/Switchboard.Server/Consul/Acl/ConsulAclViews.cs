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

    /// <summary><paramref name="value"/> as JSON (indented with <c>?pretty</c>), with <c>X-Consul-Index</c> the ACL state's version.</summary>
    public static IResult Json<T>(HttpContext context, AclService acl, T value, Func<ConsulAclJsonContext, JsonTypeInfo<T>> type)
    {
        SetIndex(context, acl);
        return ConsulResults.Json(context, value, type(Compact), type(Pretty));
    }

    /// <summary>The answer to a delete: <c>true</c>, also when there was nothing to delete (as Consul).</summary>
    public static IResult Deleted(HttpContext context, AclService acl) => Json(context, acl, true, static j => j.Boolean);

    /// <summary><paramref name="value"/> as JSON, or 404 with <paramref name="notFound"/> when it is null.</summary>
    public static IResult JsonOrNotFound<T>(HttpContext context, AclService acl, T? value, Func<ConsulAclJsonContext, JsonTypeInfo<T>> type, string notFound)
        where T : class
    {
        if (value is not null)
            return Json(context, acl, value, type);
        SetIndex(context, acl);
        return ConsulResults.NotFound(notFound);
    }

    /// <summary>Sets <c>X-Consul-Index</c> to the ACL state's version (at least 1: Consul never answers index 0).</summary>
    private static void SetIndex(HttpContext context, AclService acl)
        => context.Response.Headers[ConsulIndex.Header] = Math.Max(1, acl.Version).ToString(System.Globalization.CultureInfo.InvariantCulture);

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

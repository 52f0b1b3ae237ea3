using System.Globalization;
using System.Text.Json;
using Switchboard.Registry.Acl;

namespace Switchboard.Server.Consul.Acl;

/// <summary>
/// Reads the bodies of the ACL writes as Consul's decoder does (field names case-insensitive, snake_case accepted).
/// Wrong types are <see cref="ConsulDecodeException"/>s naming the field; what the engine validates (names, rules,
/// policies, expiry) is left to it, which names the field in its <see cref="AclValidationException"/>.
/// </summary>
internal static class ConsulAclRequests
{
    private static readonly string[] UnsupportedTokenFields = ["Roles", "ServiceIdentities", "NodeIdentities", "TemplatedPolicies"];

    /// <summary>A policy create or update: <c>Name</c>, <c>Description</c>, <c>Rules</c> (JSON rules), <c>Datacenters</c>.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="urlId">The id in the URL of an update, which an <c>ID</c> in the body must match; null for a create.</param>
    /// <param name="datacenter">The one datacenter: <c>Datacenters</c> may name only it.</param>
    public static AclPolicyRequest Policy(JsonElement body, string? urlId, string datacenter)
    {
        var fields = ConsulJsonObject.From(body, "body");
        if (urlId is not null && fields.String("ID") is { Length: > 0 } id && id != urlId)
            throw new AclValidationException("ID", "Policy ID in URL and payload do not match");
        if (fields.Strings("Datacenters")?.FirstOrDefault(dc => dc != datacenter) is { } other)
            throw new AclValidationException("Datacenters", $"Datacenters names {AclQuote(other)}: this registry is the one datacenter {AclQuote(datacenter)}");
        return new AclPolicyRequest(fields.String("Name") ?? "", fields.String("Description"), fields.String("Rules"));
    }

    /// <summary>A token create or update: <c>AccessorID</c>, <c>SecretID</c>, <c>Description</c>, <c>Policies</c>, <c>Local</c>, <c>ExpirationTime</c>, <c>ExpirationTTL</c>.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="urlAccessorId">The accessor id in the URL of an update, which an <c>AccessorID</c> in the body must match; null for a create.</param>
    public static AclTokenRequest Token(JsonElement body, string? urlAccessorId)
    {
        var fields = ConsulJsonObject.From(body, "body");
        foreach (var unsupported in UnsupportedTokenFields)
        {
            if (fields.TryGet(unsupported, out var value) && !(value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0))
                throw new AclValidationException(unsupported, $"{unsupported} are not supported by Switchboard: link policies with Policies");
        }
        var accessorId = fields.String("AccessorID") is { Length: > 0 } a ? a : null;
        if (urlAccessorId is not null && accessorId is not null && accessorId != urlAccessorId)
            throw new AclValidationException("AccessorID", "Token Accessor ID in URL and payload do not match");
        _ = fields.Boolean("Local"); // every token is valid on every node: accepted, no effect
        var policies = fields.Objects("Policies")?.Select(p => new AclPolicyLink(p.String("ID") is { Length: > 0 } pid ? pid : null, p.String("Name") is { Length: > 0 } n ? n : null)).ToList();
        var ttl = fields.Duration("ExpirationTTL");
        return new AclTokenRequest(
            fields.String("Description"),
            policies,
            ExpirationTime(fields),
            ttl is { } t && t != TimeSpan.Zero ? t : null,
            accessorId,
            fields.String("SecretID") is { Length: > 0 } s && s != ConsulAclViews.HiddenSecret ? s : null); // a read sent back as an update carries <hidden>
    }

    /// <summary>The optional body of <c>PUT /v1/acl/bootstrap</c>: <c>{"BootstrapSecret": "…"}</c>.</summary>
    public static string? BootstrapSecret(JsonElement body)
        => ConsulJsonObject.From(body, "body").String("BootstrapSecret") is { Length: > 0 } secret ? secret : null;

    private static DateTimeOffset? ExpirationTime(ConsulJsonObject fields)
    {
        var text = fields.String("ExpirationTime");
        if (string.IsNullOrEmpty(text))
            return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : throw new ConsulDecodeException($"'ExpirationTime' must be an RFC 3339 time such as 2030-01-02T15:04:05Z, not {AclQuote(text)}");
    }

    private static string AclQuote(string text) => JsonSerializer.Serialize(text, ConsulAclJsonContext.Default.String);
}

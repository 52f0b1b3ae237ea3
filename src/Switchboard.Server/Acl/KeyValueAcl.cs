using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Acl;
using Switchboard.Registry.KeyValues;

namespace Switchboard.Server.Acl;

/// <summary>
/// Who may read which key, for both key/value APIs: <c>key:read</c> (Consul's <c>key</c> / <c>key_prefix</c> rules) for
/// ordinary keys; for secrets (keys under <see cref="KeyValueOptions.SecretsPrefix"/>) an explicit rule or a management
/// token, never the default policy, and nobody while ACLs are off.
/// </summary>
internal static class KeyValueAcl
{
    /// <summary>The answer to a read of one key.</summary>
    /// <param name="Allowed">Whether the token may read it.</param>
    /// <param name="Decision">The denied check when not allowed by a rule.</param>
    /// <param name="SecretsOff">Whether it is a secret read while ACLs are off.</param>
    public readonly record struct ReadCheck(bool Allowed, AclDecision Decision, bool SecretsOff);

    /// <summary>May the request read <paramref name="key"/>?</summary>
    /// <exception cref="AclNotFoundException">The request's token names no token.</exception>
    public static ReadCheck CheckRead(HttpContext context, KeyValueService kv, string key)
    {
        var acl = context.Authorizer();
        if (!kv.IsSecret(key))
        {
            var decision = acl.KeyRead(key);
            return new(decision.IsAllowed, decision, false);
        }
        if (!AclOn(context))
            return new(false, default, true);
        var secret = acl.KeyReadExplicit(key);
        return new(secret.IsAllowed, secret, false);
    }

    /// <summary>The entries the request may read; <paramref name="filtered"/> says whether one was left out.</summary>
    /// <exception cref="AclNotFoundException">The request's token names no token.</exception>
    public static IReadOnlyList<KeyValueEntry> Readable(HttpContext context, KeyValueService kv, IReadOnlyList<KeyValueEntry> entries, string prefix, out bool filtered)
    {
        var acl = context.Authorizer();
        var aclOn = AclOn(context);
        filtered = false;
        if (acl.IsManagement && (aclOn || !kv.MayHoldSecrets(prefix)))
            return entries; // a management token, or ACLs off and no secret can be listed: everything, no copy
        var readable = new List<KeyValueEntry>(entries.Count);
        foreach (var entry in entries)
        {
            var allowed = kv.IsSecret(entry.Key)
                ? aclOn && acl.KeyReadExplicit(entry.Key).IsAllowed
                : acl.KeyRead(entry.Key).IsAllowed;
            if (allowed)
                readable.Add(entry);
            else
                filtered = true;
        }
        return readable;
    }

    /// <summary>Why a secret cannot be read while ACLs are off.</summary>
    public static string SecretsOffMessage(KeyValueService kv)
        => $"Keys under '{kv.Options.SecretsPrefix}' are secrets: reading them needs ACLs on (switchboard agent --acl, Switchboard:Acl:Enabled=true) and a token with a key or key_prefix read rule covering the key.";

    private static bool AclOn(HttpContext context) => context.RequestServices.GetRequiredService<AclService>().Enabled;
}

using System.Text.Json;

namespace Switchboard.Registry.Acl;

/// <summary>
/// Parses and validates policy rules written as Consul's JSON rules. Every error names its field from <c>rules</c>
/// down (<c>rules.service.orders.policy must be read, write or deny</c>); all errors are collected, not only the first.
/// </summary>
internal static class AclRulesParser
{
    private const string Root = "rules";
    private const string Levels = "must be read, write or deny";
    private static readonly string[] Supported = ["service", "service_prefix", "agent", "agent_prefix", "key", "key_prefix", "acl", "operator"];

    /// <summary>Parses <paramref name="json"/>; null or blank is a policy without rules.</summary>
    /// <exception cref="AclValidationException">The rules are invalid; each error names its field.</exception>
    public static AclRules Parse(string? json)
        => TryParse(json, out var rules, out var errors) ? rules : throw new AclValidationException(errors);

    /// <summary>Parses <paramref name="json"/> without throwing.</summary>
    /// <returns>Whether the rules are valid; when not, <paramref name="errors"/> names every invalid field.</returns>
    public static bool TryParse(string? json, out AclRules rules, out IReadOnlyList<AclValidationError> errors)
    {
        rules = AclRules.Empty;
        var found = new List<AclValidationError>();
        errors = found;
        if (string.IsNullOrWhiteSpace(json))
            return true;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            found.Add(new(Root, $"{Root} is not valid JSON: {ex.Message}"));
            return false;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                found.Add(new(Root, $"{Root} must be a JSON object such as {{\"service_prefix\":{{\"\":{{\"policy\":\"read\"}}}}}}"));
                return false;
            }
            var parsed = AclRules.Empty;
            foreach (var resource in document.RootElement.EnumerateObject())
            {
                var field = Root + "." + resource.Name;
                parsed = resource.Name switch
                {
                    "service" => parsed with { Service = Named(resource.Value, field, found) },
                    "service_prefix" => parsed with { ServicePrefix = Named(resource.Value, field, found) },
                    "agent" => parsed with { Agent = Named(resource.Value, field, found) },
                    "agent_prefix" => parsed with { AgentPrefix = Named(resource.Value, field, found) },
                    "key" => parsed with { Key = Named(resource.Value, field, found) },
                    "key_prefix" => parsed with { KeyPrefix = Named(resource.Value, field, found) },
                    "acl" => parsed with { Acl = Level(resource.Value, field, found) },
                    "operator" => parsed with { Operator = Level(resource.Value, field, found) },
                    _ => Unsupported(parsed, field, found),
                };
            }
            if (found.Count > 0)
                return false;
            rules = parsed;
            return true;
        }
    }

    private static AclRules Unsupported(AclRules rules, string field, List<AclValidationError> errors)
    {
        errors.Add(new(field, $"{field} is not a supported resource (supported: {string.Join(", ", Supported)})"));
        return rules;
    }

    /// <summary>A resource keyed by name: <c>{"orders":{"policy":"write"}}</c>. A name given twice keeps the strongest level.</summary>
    private static Dictionary<string, AclAccess> Named(JsonElement value, string field, List<AclValidationError> errors)
    {
        var map = new Dictionary<string, AclAccess>(StringComparer.Ordinal);
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(field, $"{field} must be an object of names, each with a policy, such as {{\"orders\":{{\"policy\":\"read\"}}}}"));
            return map;
        }
        foreach (var entry in value.EnumerateObject())
        {
            var at = field + "." + (entry.Name.Length == 0 || entry.Name.Contains('.', StringComparison.Ordinal) ? AclMessages.Quote(entry.Name) : entry.Name);
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(at, $"{at} must be an object such as {{\"policy\":\"read\"}}"));
                continue;
            }
            var access = AclAccess.None;
            foreach (var member in entry.Value.EnumerateObject())
            {
                if (member.Name == "policy")
                    access = Level(member.Value, at + ".policy", errors);
                else
                    errors.Add(new(at + "." + member.Name, $"{at}.{member.Name} is not supported (only policy)"));
            }
            if (access == AclAccess.None && !entry.Value.TryGetProperty("policy", out _))
                errors.Add(new(at + ".policy", $"{at}.policy is required (read, write or deny)"));
            if (access != AclAccess.None)
                map[entry.Name] = map.TryGetValue(entry.Name, out var before) ? AclPrecedence.Strongest(before, access) : access;
        }
        return map;
    }

    private static AclAccess Level(JsonElement value, string field, List<AclValidationError> errors)
    {
        var access = value.ValueKind == JsonValueKind.String ? ParseLevel(value.GetString()) : AclAccess.None;
        if (access == AclAccess.None)
            errors.Add(new(field, $"{field} {Levels}"));
        return access;
    }

    /// <summary>The access named <c>read</c>, <c>write</c> or <c>deny</c>; <see cref="AclAccess.None"/> for anything else.</summary>
    internal static AclAccess ParseLevel(string? level) => level switch
    {
        "read" => AclAccess.Read,
        "write" => AclAccess.Write,
        "deny" => AclAccess.Deny,
        _ => AclAccess.None,
    };
}

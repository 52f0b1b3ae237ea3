using System.Text.RegularExpressions;

namespace Switchboard.Server.Consul;

/// <summary>Rewrites the registration validator's messages (keyed by native snake_case fields) with the Consul field names the client sent.</summary>
internal static partial class ConsulFieldNames
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["service_name"] = "Name",
        ["instance_id"] = "ID",
        ["host"] = "Address",
        ["port"] = "Port",
        ["tags"] = "Tags",
        ["metadata"] = "Meta",
        ["weight"] = "Weights.Passing",
        ["check"] = "Check",
        ["checks"] = "Checks",
        ["http"] = "HTTP",
        ["tcp"] = "TCP",
        ["ttl"] = "TTL",
        ["interval"] = "Interval",
        ["timeout"] = "Timeout",
        ["id"] = "CheckID",
        ["name"] = "Name",
        ["kind"] = "Kind",
        ["deregister_critical_after"] = "DeregisterCriticalServiceAfter",
        ["failures_before_critical"] = "FailuresBeforeCritical",
        ["successes_before_passing"] = "SuccessBeforePassing",
    };

    /// <summary>All messages, joined, each starting with the Consul name of its field.</summary>
    public static string Describe(Dictionary<string, string[]> errors)
        => string.Join(" ", errors.SelectMany(e => e.Value.Select(message => Translate(e.Key, message))));

    /// <summary>The Consul spelling of a native field path such as <c>checks[1].ttl</c> (<c>Checks[1].TTL</c>).</summary>
    public static string Field(string nativeField)
        => FieldPart().Replace(nativeField, m => Fields.TryGetValue(m.Value, out var consul) ? consul : m.Value);

    private static string Translate(string field, string message)
    {
        var consul = Field(field);
        return message.StartsWith(field, StringComparison.Ordinal) ? consul + message[field.Length..] : $"{consul}: {message}";
    }

    [GeneratedRegex("[a-z_]+")]
    private static partial Regex FieldPart();
}

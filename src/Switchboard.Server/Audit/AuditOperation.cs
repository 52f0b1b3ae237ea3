using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Switchboard.Server.Audit;

/// <summary>
/// The operation and target of a routed write, from its method and route pattern: the registry's writes by name
/// (<c>register</c>, <c>heartbeat</c>, <c>deregister</c>, <c>check.pass</c>...), any other route (the ACL routes among
/// them) by its literal segments and method (<c>acl.token.create</c>, <c>acl.token.update</c>, <c>acl.token.delete</c>,
/// <c>acl.token.clone</c>, <c>acl.bootstrap</c>). The target is the value of the route's last parameter (an instance,
/// check or token id), when it has one.
/// </summary>
internal static class AuditOperation
{
    /// <summary>The operation of a write that matched no route (or only the Consul API's fallback).</summary>
    public const string Unrouted = "unrouted";

    private const int MaxTarget = 256;

    // The route shape (literal segments, "{}" for a parameter) and method of each registry write, and its name.
    private static readonly Dictionary<(string Method, string Shape), string> Known = new()
    {
        [("POST", "/service-discovery/register")] = "register",
        [("PUT", "/service-discovery/instances/{}/heartbeat")] = "heartbeat",
        [("POST", "/service-discovery/instances/{}/heartbeat")] = "heartbeat",
        [("DELETE", "/service-discovery/instances/{}")] = "deregister",
        [("PUT", "/v1/agent/service/register")] = "register",
        [("PUT", "/v1/agent/service/deregister/{}")] = "deregister",
        [("PUT", "/v1/agent/check/pass/{}")] = "check.pass",
        [("PUT", "/v1/agent/check/warn/{}")] = "check.warn",
        [("PUT", "/v1/agent/check/fail/{}")] = "check.fail",
        [("PUT", "/v1/agent/check/update/{}")] = "check.update",
    };

    // Literal segments that name an action rather than a resource: no method verb is added after them.
    private static readonly HashSet<string> Actions = new(StringComparer.OrdinalIgnoreCase) { "bootstrap", "login", "logout" };

    /// <summary>The operation and target of the request, once routing has run.</summary>
    public static (string Operation, string Target) Of(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern: var pattern })
            return (Unrouted, "");
        var segments = pattern.PathSegments;
        var literals = new List<string>(segments.Count);
        var shape = new StringBuilder();
        string? lastParameter = null;
        var parameterBeforeLast = false;
        for (var i = 0; i < segments.Count; i++)
        {
            var literal = segments[i].IsSimple && segments[i].Parts[0] is RoutePatternLiteralPart part ? part.Content : null;
            shape.Append('/').Append(literal ?? "{}");
            if (literal is null)
            {
                lastParameter = segments[i].Parts.OfType<RoutePatternParameterPart>().LastOrDefault()?.Name;
                parameterBeforeLast |= i < segments.Count - 1;
            }
            else if (i > 0)
            {
                literals.Add(literal); // the first segment is the API's prefix
            }
        }
        var method = context.Request.Method.ToUpperInvariant();
        var target = lastParameter is not null && context.Request.RouteValues[lastParameter] is { } value ? Clean(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "") : "";
        if (Known.TryGetValue((method, shape.ToString()), out var known))
            return (known, target);
        if (literals.Count == 0)
            return (Unrouted, "");
        var endsWithLiteral = lastParameter is null || segments[^1].IsSimple && segments[^1].Parts[0] is RoutePatternLiteralPart;
        var name = string.Join('.', literals).ToLowerInvariant();
        if (endsWithLiteral && (parameterBeforeLast || Actions.Contains(literals[^1])))
            return (name, target);
        var verb = method switch
        {
            "DELETE" => "delete",
            _ when !endsWithLiteral => "update",
            _ => "create",
        };
        return ($"{name}.{verb}", target);
    }

    /// <summary>A route value as a log field: control characters escaped (no forged lines in a text log), at most 256 characters.</summary>
    private static string Clean(string value)
    {
        if (value.Length <= MaxTarget && !value.Any(char.IsControl))
            return value;
        var clean = new StringBuilder(Math.Min(value.Length, MaxTarget) + 8);
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxTarget)))
        {
            if (char.IsControl(c))
                clean.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                clean.Append(c);
        }
        return clean.ToString();
    }
}

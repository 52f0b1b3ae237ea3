using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Switchboard.Server.Audit;

/// <summary>
/// The operation and target of a routed write, from its method and route pattern: the registry's writes by name
/// (<c>register</c>, <c>heartbeat</c>, <c>deregister</c>, <c>check.pass</c>, Eureka's <c>status.override</c>...), any other route (the ACL routes among
/// them) by its literal segments and method (<c>acl.token.create</c>, <c>acl.token.update</c>, <c>acl.token.delete</c>,
/// <c>acl.token.clone</c>, <c>acl.bootstrap</c>). The target is the instance a registration's handler names, else the
/// value of the route's last parameter (an instance, check or token id), when it has one.
/// </summary>
internal static class AuditOperation
{
    /// <summary>The operation of a write that matched no route (or only the Consul API's fallback).</summary>
    public const string Unrouted = "unrouted";

    private const int MaxTarget = 256;

    // The route shape (literal segments, "{}" for a parameter) and method of each registry write, and its name.
    private static readonly Dictionary<(string Method, string Shape), string> Known = WithEureka(new()
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
        [("PUT", "/service-discovery/kv/{}")] = "kv.put",
        [("DELETE", "/service-discovery/kv/{}")] = "kv.delete",
        [("PUT", "/v1/kv/{}")] = "kv.put",
        [("DELETE", "/v1/kv/{}")] = "kv.delete",
    });

    /// <summary>Adds Eureka's writes, under both of its prefixes.</summary>
    private static Dictionary<(string Method, string Shape), string> WithEureka(Dictionary<(string Method, string Shape), string> known)
    {
        (string Method, string Path, string Name)[] writes =
        [
            ("POST", "/apps/{}", "register"),
            ("PUT", "/apps/{}/{}", "heartbeat"),
            ("DELETE", "/apps/{}/{}", "deregister"),
            ("PUT", "/apps/{}/{}/status", "status.override"),
            ("DELETE", "/apps/{}/{}/status", "status.override.remove"),
            ("PUT", "/apps/{}/{}/metadata", "metadata.update"),
        ];
        foreach (var prefix in Eureka.EurekaApi.Prefixes)
        {
            foreach (var (method, path, name) in writes)
                known[(method, prefix + path)] = name;
        }
        return known;
    }

    // Literal segments that name an action rather than a resource: no method verb is added after them.
    private static readonly HashSet<string> Actions = new(StringComparer.OrdinalIgnoreCase) { "bootstrap", "login", "logout" };

    // Endpoints and write methods are few and fixed once the app runs: each pair is named once (held weakly: an app's
    // endpoints go with it).
    private static readonly ConditionalWeakTable<RouteEndpoint, ConcurrentDictionary<string, Naming>> Names = [];

    /// <summary>The operation and target of the request, once routing has run.</summary>
    public static (string Operation, string Target) Of(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint)
            return (Unrouted, "");
        var naming = Names.GetValue(endpoint, static _ => new(StringComparer.OrdinalIgnoreCase))
            .GetOrAdd(context.Request.Method, static (method, pattern) => Name(pattern, method.ToUpperInvariant()), endpoint.RoutePattern);
        // A handler that names its target (the instance a registration body names) wins over the route's parameter
        // (Eureka's register route ends with the application, not the instance).
        var target = AuditTarget.Get(context) is { } named ? Clean(named)
            : naming.Parameter is { } parameter && context.Request.RouteValues[parameter] is { } value
            ? Clean(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")
            : "";
        return (naming.Operation, target);
    }

    private static Naming Name(RoutePattern pattern, string method)
    {
        var segments = pattern.PathSegments;
        var literals = new List<string>(segments.Count);
        var shape = new StringBuilder();
        string? lastParameter = null;
        var parameterBeforeLast = false;
        for (var i = 0; i < segments.Count; i++)
        {
            var literal = Literal(segments[i]);
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
        if (Known.TryGetValue((method, shape.ToString()), out var known))
            return new(known, lastParameter);
        if (literals.Count == 0)
            return new(Unrouted, null);
        var name = string.Join('.', literals).ToLowerInvariant();
        var endsWithLiteral = segments.Count > 0 && Literal(segments[^1]) is not null;
        if (endsWithLiteral && (parameterBeforeLast || Actions.Contains(literals[^1])))
            return new(name, lastParameter);
        var verb = method switch
        {
            "DELETE" => "delete",
            _ when !endsWithLiteral => "update",
            _ => "create",
        };
        return new($"{name}.{verb}", lastParameter);
    }

    private static string? Literal(RoutePatternPathSegment segment)
        => segment.IsSimple && segment.Parts[0] is RoutePatternLiteralPart part ? part.Content : null;

    /// <summary>A route value as a log field: control characters escaped (no forged lines in a text log), at most 256 characters.</summary>
    private static string Clean(string value)
    {
        if (value.Length <= MaxTarget && !value.Any(char.IsControl))
            return value;
        var clean = new StringBuilder(MaxTarget + 16);
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxTarget)))
        {
            if (char.IsControl(c))
                clean.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                clean.Append(c);
        }
        return clean.ToString();
    }

    /// <summary>What a route and method are called, and the route parameter that names the target.</summary>
    private sealed record Naming(string Operation, string? Parameter);
}

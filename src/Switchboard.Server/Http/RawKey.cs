using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Switchboard.Server.Http;

/// <summary>
/// The key of a key/value route, from the request's raw target: the path the server decodes keeps <c>%2F</c> encoded
/// (so a client that escapes every <c>/</c> of a key would see it differently), so the key is cut from the raw target and
/// unescaped once here. Falls back to the route value when the raw target does not carry the route's prefix.
/// </summary>
internal static class RawKey
{
    /// <summary>The key after <paramref name="routePrefix"/> (which ends with <c>/</c>), unescaped.</summary>
    public static string Of(HttpContext context, string routePrefix, string routeValueName)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? raw[..query] : raw;
        if (path.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            path = Uri.TryCreate(path, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : path; // absolute-form request target
        var prefix = context.Request.PathBase.Value + routePrefix;
        if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return Uri.UnescapeDataString(path[prefix.Length..]);
        return context.Request.RouteValues[routeValueName] as string ?? "";
    }
}

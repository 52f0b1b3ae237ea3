using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Switchboard.Server.Ui;

/// <summary>
/// <c>/ui</c>: the web dashboard, plain HTML, CSS and JavaScript modules embedded in this assembly (no CDN, nothing
/// fetched at run time). Every page route answers the app shell, which renders the page from the address; an unknown
/// route answers the same shell with 404, and the shell shows its not-found page.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>The dashboard's root path.</summary>
    public const string Root = "/ui";

    // No inline script or style, no other origin: markup that slipped into the page could not run.
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Maps <c>GET /ui</c>, its pages and assets, and the permissions route the page asks about its token.</summary>
    public static IEndpointRouteBuilder MapSwitchboardDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Root, Page).ExcludeFromDescription();
        endpoints.MapGet(Root + "/{**path}", Page).ExcludeFromDescription();
        endpoints.MapGet(DashboardPermissions.Route, DashboardPermissions.Get).ExcludeFromDescription();
        return endpoints;
    }

    private static Task Page(HttpContext context, string? path)
    {
        path ??= "";
        if (path.StartsWith("assets/", StringComparison.Ordinal))
        {
            return DashboardAssets.All.TryGetValue(path, out var asset)
                ? WriteAsync(context, asset, StatusCodes.Status200OK)
                : Results.NotFound().ExecuteAsync(context);
        }
        return WriteAsync(context, DashboardAssets.Shell, IsPage(path) ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
    }

    /// <summary>The pages the shell knows (kept in step with the router in <c>assets/app.js</c>).</summary>
    internal static bool IsPage(string path)
    {
        var segments = path.TrimEnd('/').Split('/');
        return segments switch
        {
            [""] or ["services"] or ["health"] or ["events"] => true,
            ["services", { Length: > 0 }] => true,
            _ => false,
        };
    }

    private static async Task WriteAsync(HttpContext context, DashboardAssets.Asset asset, int status)
    {
        var response = context.Response;
        response.Headers.ContentSecurityPolicy = Policy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = asset.ETag;
        if (status == StatusCodes.Status200OK && context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = status;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Bytes.Length;
        await response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
    }
}

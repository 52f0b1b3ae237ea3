using Microsoft.AspNetCore.Http;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Consul;

/// <summary>The catalog reads, blocking queries included: <c>/v1/catalog/services</c> and <c>/v1/catalog/service/:service</c>.</summary>
internal sealed class ConsulCatalogEndpoints(ServiceCatalog catalog, ConsulViews views)
{
    /// <summary><c>GET /v1/catalog/services</c>: every service with the union of its instances' tags; blocks on any catalog change.</summary>
    public async Task<IResult> ServicesAsync(HttpContext context)
    {
        if (!ConsulQuery.TryParse(context.Request, views.Node, out var query, out var error))
            return error!;
        _ = context.Authorizer(); // an unknown token is refused before the query parks
        var index = await query.WaitForCatalogAsync(catalog, context);
        var services = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!HasNodeMetaFilter(context.Request))
        {
            foreach (var service in catalog.ListServices().Services)
            {
                if (ConsulAcl.CanRead(context, service.ServiceName))
                    services[service.ServiceName] = service.Tags;
            }
        }
        ConsulIndex.Set(context.Response, index);
        return ConsulResults.Json(context, services, static c => c.SortedDictionaryStringIReadOnlyListString);
    }

    /// <summary><c>GET /v1/catalog/service/:service?tag=</c>: the service's instances on the node; blocks on the service's changes.</summary>
    public async Task<IResult> ServiceAsync(HttpContext context, string service)
    {
        if (string.IsNullOrEmpty(service))
            return ConsulResults.BadRequest("Missing service name");
        if (!ConsulQuery.TryParse(context.Request, views.Node, out var query, out var error))
            return error!;
        var name = ConsulNames.Map(service);
        var readable = ConsulAcl.CanRead(context, name); // decided before parking: a query the token may not read waits, then answers nothing
        var (view, index) = await query.WaitForServiceAsync(catalog, name, context);
        var tags = Tags(context.Request);
        var result = new List<ConsulCatalogService>();
        if (readable && view is not null && !HasNodeMetaFilter(context.Request))
        {
            foreach (var instance in view.Instances)
            {
                if (HasTags(instance, tags))
                    result.Add(views.CatalogService(instance));
            }
        }
        ConsulIndex.Set(context.Response, index);
        return ConsulResults.Json<IReadOnlyList<ConsulCatalogService>>(context, result, static c => c.IReadOnlyListConsulCatalogService);
    }

    /// <summary>The <c>?tag=</c> values (repeatable: all must match).</summary>
    public static string[] Tags(HttpRequest request)
        => request.Query.TryGetValue("tag", out var tags) ? [.. tags.Where(t => !string.IsNullOrEmpty(t)).Select(t => t!)] : [];

    /// <summary>Whether the instance carries every tag, compared case-insensitively as Consul does.</summary>
    public static bool HasTags(ServiceInstance instance, string[] tags)
    {
        foreach (var tag in tags)
        {
            if (!instance.Tags.Any(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase)))
                return false;
        }
        return true;
    }

    /// <summary>Whether the request filters on node metadata: the one node has none, so nothing matches.</summary>
    public static bool HasNodeMetaFilter(HttpRequest request)
        => request.Query.TryGetValue("node-meta", out var meta) && meta.Any(m => !string.IsNullOrEmpty(m));
}

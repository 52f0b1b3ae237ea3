using Microsoft.AspNetCore.Http;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Consul;

/// <summary>The catalog reads, blocking queries included: <c>/v1/catalog/services</c> and <c>/v1/catalog/service/:service</c>.</summary>
internal sealed class ConsulCatalogEndpoints(ServiceCatalog catalog, ConsulViews views, ConsulAnswers answers)
{
    /// <summary><c>GET /v1/catalog/services</c>: every service with the union of its instances' tags; blocks on any catalog change.</summary>
    public async Task<IResult> ServicesAsync(HttpContext context)
    {
        if (!ConsulQuery.TryParse(context.Request, views.Node, out var query, out var error))
            return error!;
        var acl = context.Authorizer(); // an unknown token is refused before the query parks
        var index = await query.WaitForCatalogAsync(catalog, context);
        ConsulIndex.Set(context.Response, index);
        if (HasNodeMetaFilter(context.Request))
            return ConsulResults.Json(context, new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal), static c => c.SortedDictionaryStringIReadOnlyListString);
        if (acl.IsManagement && ConsulAnswers.Serves(context.Request, out _))
            return ConsulResults.Bytes(answers.CatalogServices());
        return ConsulResults.Json(context, answers.ServiceTags(context), static c => c.SortedDictionaryStringIReadOnlyListString);
    }

    /// <summary><c>GET /v1/catalog/service/:service?tag=</c>: the service's instances on the node; blocks on the service's changes.</summary>
    /// <remarks>A read that does not park completes synchronously: no state machine on the hot path.</remarks>
    public Task<IResult> ServiceAsync(HttpContext context, string service)
    {
        if (string.IsNullOrEmpty(service))
            return Task.FromResult(ConsulResults.BadRequest("Missing service name"));
        if (!ConsulQuery.TryParse(context.Request, views.Node, out var query, out var error))
            return Task.FromResult(error!);
        var name = ConsulNames.Map(service);
        var readable = ConsulAcl.CanRead(context, name); // decided before parking: a query the token may not read waits, then answers nothing
        return query.Blocks(catalog)
            ? ServiceAfterWaitAsync(context, query, name, readable)
            : Task.FromResult(ServiceAnswer(context, ConsulQuery.Current(catalog, name), readable));
    }

    private async Task<IResult> ServiceAfterWaitAsync(HttpContext context, ConsulQuery query, string name, bool readable)
        => ServiceAnswer(context, await query.WaitForServiceAsync(catalog, name, context), readable);

    private IResult ServiceAnswer(HttpContext context, (ServiceView? View, long Index) seen, bool readable)
    {
        var view = seen.View;
        ConsulIndex.Set(context.Response, seen.Index);
        if (view is null || !readable || HasNodeMetaFilter(context.Request))
            return ConsulResults.Json<IReadOnlyList<ConsulCatalogService>>(context, [], static c => c.IReadOnlyListConsulCatalogService);
        if (ConsulAnswers.Serves(context.Request, out var tag))
            return ConsulResults.Bytes(answers.CatalogService(view, tag));
        return ConsulResults.Json<IReadOnlyList<ConsulCatalogService>>(context, answers.CatalogEntries(view, Tags(context.Request)), static c => c.IReadOnlyListConsulCatalogService);
    }

    /// <summary>The <c>?tag=</c> values (repeatable: all must match).</summary>
    public static string[] Tags(HttpRequest request)
        => request.Query.TryGetValue("tag", out var tags) ? [.. tags.Where(t => !string.IsNullOrEmpty(t)).Select(t => t!)] : [];

    /// <summary>Whether the request filters on node metadata: the one node has none, so nothing matches.</summary>
    public static bool HasNodeMetaFilter(HttpRequest request)
        => request.Query.TryGetValue("node-meta", out var meta) && meta.Any(m => !string.IsNullOrEmpty(m));
}

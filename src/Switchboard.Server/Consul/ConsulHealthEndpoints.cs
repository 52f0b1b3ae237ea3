using Microsoft.AspNetCore.Http;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Consul;

/// <summary>The health reads, blocking queries included: <c>/v1/health/service/:service</c>, <c>/v1/health/checks/:service</c>, <c>/v1/health/state/:state</c>.</summary>
internal sealed class ConsulHealthEndpoints(ServiceCatalog catalog, ConsulViews views, ConsulAnswers answers)
{
    /// <summary><c>GET /v1/health/service/:service?passing&amp;tag=</c>: the instances with their node and checks; blocks on the service's changes.</summary>
    /// <remarks>A read that does not park completes synchronously: no state machine on the hot path.</remarks>
    public Task<IResult> ServiceAsync(HttpContext context, string service)
    {
        if (string.IsNullOrEmpty(service))
            return Task.FromResult(ConsulResults.BadRequest("Missing service name"));
        if (!ConsulQuery.TryParse(context.Request, views.Node, out var query, out var error))
            return Task.FromResult(error!);
        if (!TryParseBool(context.Request, "passing", out var passingOnly))
            return Task.FromResult(ConsulResults.BadRequest("Invalid value for ?passing"));
        var name = ConsulNames.Map(service);
        var readable = ConsulAcl.CanRead(context, name); // decided before parking: a query the token may not read waits, then answers nothing
        return query.Blocks(catalog)
            ? ServiceAfterWaitAsync(context, query, name, readable, passingOnly)
            : Task.FromResult(ServiceAnswer(context, ConsulQuery.Current(catalog, name), readable, passingOnly));
    }

    private async Task<IResult> ServiceAfterWaitAsync(HttpContext context, ConsulQuery query, string name, bool readable, bool passingOnly)
        => ServiceAnswer(context, await query.WaitForServiceAsync(catalog, name, context), readable, passingOnly);

    private IResult ServiceAnswer(HttpContext context, (ServiceView? View, long Index) seen, bool readable, bool passingOnly)
    {
        var view = seen.View;
        ConsulIndex.Set(context.Response, seen.Index);
        if (view is null || !readable || ConsulCatalogEndpoints.HasNodeMetaFilter(context.Request))
            return ConsulResults.Json<IReadOnlyList<ConsulServiceEntry>>(context, [], static c => c.IReadOnlyListConsulServiceEntry);
        if (ConsulAnswers.Serves(context.Request, out var tag))
            return ConsulResults.Bytes(answers.HealthService(view, passingOnly, tag));
        var result = answers.HealthEntries(view, passingOnly, ConsulCatalogEndpoints.Tags(context.Request));
        return ConsulResults.Json<IReadOnlyList<ConsulServiceEntry>>(context, result, static c => c.IReadOnlyListConsulServiceEntry);
    }

    /// <summary><c>GET /v1/health/checks/:service</c>: the checks of the service's instances; blocks on the service's changes.</summary>
    public async Task<IResult> ChecksAsync(HttpContext context, string service)
    {
        if (string.IsNullOrEmpty(service))
            return ConsulResults.BadRequest("Missing service name");
        if (!ConsulQuery.TryParse(context.Request, views.Node, out var query, out var error))
            return error!;
        var name = ConsulNames.Map(service);
        var readable = ConsulAcl.CanRead(context, name);
        var (view, index) = await query.WaitForServiceAsync(catalog, name, context);
        var result = new List<ConsulHealthCheck>();
        if (readable && view is not null && !ConsulCatalogEndpoints.HasNodeMetaFilter(context.Request))
        {
            foreach (var instance in view.Instances)
                result.AddRange(views.ServiceChecks(instance));
        }
        ConsulIndex.Set(context.Response, index);
        return ConsulResults.Json<IReadOnlyList<ConsulHealthCheck>>(context, result, static c => c.IReadOnlyListConsulHealthCheck);
    }

    /// <summary><c>GET /v1/health/state/:state</c>: every check in <c>passing</c>, <c>warning</c>, <c>critical</c> or <c>any</c> state, the node's included; blocks on any catalog change.</summary>
    /// <remarks>Like Consul, an unknown state matches no check.</remarks>
    public async Task<IResult> StateAsync(HttpContext context, string state)
    {
        if (string.IsNullOrEmpty(state))
            return ConsulResults.BadRequest("Missing check state");
        if (!ConsulQuery.TryParse(context.Request, views.Node, out var query, out var error))
            return error!;
        var acl = context.Authorizer(); // an unknown token is refused before the query parks
        var index = await query.WaitForCatalogAsync(catalog, context);
        var result = new List<ConsulHealthCheck>();
        if (!ConsulCatalogEndpoints.HasNodeMetaFilter(context.Request))
        {
            var any = state == "any";
            var serf = views.SerfHealth();
            if ((any || serf.Status == state) && acl.AgentRead(views.Node.Name).IsAllowed) // the node's own check: Consul's node:read
                result.Add(serf);
            else if (any || serf.Status == state)
                ConsulAcl.MarkFiltered(context);
            foreach (var instance in ConsulAcl.Readable(context, ConsulAgentReads.AllInstances(catalog)))
                result.AddRange(views.ServiceChecks(instance).Where(c => any || c.Status == state));
        }
        ConsulIndex.Set(context.Response, index);
        return ConsulResults.Json<IReadOnlyList<ConsulHealthCheck>>(context, result, static c => c.IReadOnlyListConsulHealthCheck);
    }

    /// <summary>Consul's boolean query parameter: absent false, present without a value true, else Go's <c>strconv.ParseBool</c>.</summary>
    public static bool TryParseBool(HttpRequest request, string name, out bool value)
    {
        value = false;
        if (!request.Query.TryGetValue(name, out var values))
            return true;
        switch (values.Count == 0 ? "" : values[0])
        {
            case "":
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                return true;
            default:
                return false;
        }
    }
}

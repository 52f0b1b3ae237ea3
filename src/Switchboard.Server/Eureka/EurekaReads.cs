using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Eureka;

/// <summary>Eureka's reads: the registry, one application, one instance, the delta, the instances of a VIP address.</summary>
/// <remarks>
/// Every instance is listed with its Eureka status, whatever its health (Eureka's clients filter to <c>UP</c>
/// themselves). With ACLs on, a list leaves out the services the token may not read; naming one is 403.
/// </remarks>
internal sealed class EurekaReads(ServiceCatalog catalog, EurekaViews views, EurekaRecentChanges recent)
{
    /// <summary>The version Eureka writes on a full registry (its delta versions count from it).</summary>
    private const string FullVersion = "1";

    /// <summary><c>GET /eureka/apps</c>.</summary>
    public IResult Applications(HttpContext context)
    {
        var applications = Readable(context, _ => true);
        return EurekaResults.Document(context, w => views.Applications(w, applications, FullVersion, "ADDED"));
    }

    /// <summary>
    /// <c>GET /eureka/apps/delta</c>: the changes of the last three minutes (<see cref="EurekaRecentChanges"/>), each
    /// instance with its action, and the whole registry's hash code, which the client compares with its copy's after
    /// applying them. While the queue cannot vouch for the whole window (the first three minutes after the first delta
    /// request, or after it missed changes) every instance is listed as <c>MODIFIED</c>: a client applying that is up to
    /// date, and one whose copy still holds a removed instance sees the hash codes differ and fetches the full registry.
    /// </summary>
    public IResult Delta(HttpContext context)
    {
        var version = catalog.PublishedIndex.ToString(CultureInfo.InvariantCulture);
        var registry = Readable(context, _ => true);
        if (!recent.TryGet(out var changes))
            return EurekaResults.Document(context, w => views.Applications(w, registry, version, "MODIFIED"));
        var acl = context.Authorizer();
        var applications = changes
            .Where(c => acl.IsManagement || acl.ServiceRead(c.ServiceName).IsAllowed)
            .GroupBy(c => c.ServiceName, StringComparer.Ordinal)
            .Select(g => new EurekaApplication(
                EurekaNames.Display(g.Key, [.. catalog.GetService(g.Key)?.Instances ?? [], .. g.Select(c => c.Instance)]),
                [.. g.Select(c => c.Instance)], [.. g.Select(c => c.Action)]))
            .ToList();
        var hashCode = EurekaViews.HashCode(registry);
        return EurekaResults.Document(context, w => views.Applications(w, applications, version, "MODIFIED", hashCode));
    }

    /// <summary><c>GET /eureka/apps/{app}</c>: 404 when the application has no instance.</summary>
    public IResult Application(HttpContext context, string app)
    {
        var serviceName = EurekaNames.Map(app);
        context.Authorizer().ServiceRead(serviceName).ThrowIfDenied();
        if (catalog.GetService(serviceName) is not { Instances.Count: > 0 } view)
            return EurekaResults.NotFound(context, $"Application \"{app}\" has no instance.");
        var application = new EurekaApplication(EurekaNames.Display(serviceName, view.Instances), view.Instances);
        return EurekaResults.Document(context, w => views.Application(w, application));
    }

    /// <summary><c>GET /eureka/apps/{app}/{id}</c>, or <c>GET /eureka/instances/{id}</c> when <paramref name="app"/> is null.</summary>
    public IResult Instance(HttpContext context, string? app, string id)
    {
        var acl = context.Authorizer();
        if (catalog.GetInstance(id)?.Instance is not { } instance || (app is not null && instance.ServiceName != EurekaNames.Map(app)))
            return EurekaResults.NotFound(context, app is null ? $"No instance \"{id}\"." : $"Application \"{app}\" has no instance \"{id}\".");
        acl.ServiceRead(instance.ServiceName).ThrowIfDenied();
        var name = EurekaNames.Display(instance.ServiceName, catalog.GetService(instance.ServiceName)?.Instances ?? [instance]);
        return EurekaResults.Document(context, w => views.Instance(w, instance, name));
    }

    /// <summary><c>GET /eureka/vips/{vip}</c> (<paramref name="secure"/> false) or <c>/eureka/svips/{svip}</c>: the instances whose (secure) VIP address list names it; 404 when none.</summary>
    public IResult Vip(HttpContext context, string vip, bool secure)
    {
        var key = secure ? EurekaMeta.SecureVipAddress : EurekaMeta.VipAddress;
        var applications = Readable(context, i => (EurekaMeta.Get(i.Metadata, key) ?? i.ServiceName)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(vip, StringComparer.OrdinalIgnoreCase));
        if (applications.Count == 0)
            return EurekaResults.NotFound(context, $"No instance has the {(secure ? "secure VIP" : "VIP")} address \"{vip}\".");
        return EurekaResults.Document(context, w => views.Applications(w, applications, FullVersion, "ADDED"));
    }

    /// <summary>The applications the request's token may read, with the instances <paramref name="include"/> keeps; none empty.</summary>
    private List<EurekaApplication> Readable(HttpContext context, Func<ServiceInstance, bool> include)
    {
        var acl = context.Authorizer();
        var applications = new List<EurekaApplication>();
        foreach (var service in catalog.ListServices().Services)
        {
            if (!acl.IsManagement && !acl.ServiceRead(service.ServiceName).IsAllowed)
                continue;
            if (catalog.GetService(service.ServiceName) is not { } view)
                continue;
            var instances = view.Instances.Where(include).ToList();
            if (instances.Count > 0)
                applications.Add(new EurekaApplication(EurekaNames.Display(service.ServiceName, view.Instances), instances));
        }
        return applications;
    }
}

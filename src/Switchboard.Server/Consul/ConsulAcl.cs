using Microsoft.AspNetCore.Http;
using Switchboard.Instances;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Consul;

/// <summary>
/// ACL checks of the Consul routes. Writes throw <see cref="AclPermissionDeniedException"/> (answered 403 by
/// <see cref="ConsulApi"/>); reads are filtered as Consul filters them: what the token may not read is left out, and
/// <c>X-Consul-Results-Filtered-By-ACLs: true</c> says so.
/// </summary>
internal static class ConsulAcl
{
    /// <summary>The header Consul sets on a read that left something out for the token.</summary>
    public const string FilteredHeader = "X-Consul-Results-Filtered-By-ACLs";

    /// <summary>Throws unless the request's token may write service <paramref name="serviceName"/>.</summary>
    public static void EnsureServiceWrite(HttpContext context, string serviceName)
        => context.Authorizer().ServiceWrite(serviceName).ThrowIfDenied();

    /// <summary>Throws unless the request may write the service of instance <paramref name="instanceId"/>; an unknown instance passes (the handler answers 404).</summary>
    public static void EnsureInstanceWrite(HttpContext context, ServiceCatalog catalog, string instanceId)
    {
        if (catalog.GetInstance(instanceId) is { } runtime)
            EnsureServiceWrite(context, runtime.Instance.ServiceName);
    }

    /// <summary>Whether the request's token may read service <paramref name="serviceName"/>; when not, marks the answer filtered.</summary>
    public static bool CanRead(HttpContext context, string serviceName)
    {
        var acl = context.Authorizer();
        if (acl.IsManagement || acl.ServiceRead(serviceName).IsAllowed)
            return true;
        MarkFiltered(context);
        return false;
    }

    /// <summary>The instances of <paramref name="instances"/> the request's token may read, marking the answer filtered when one is left out.</summary>
    public static IEnumerable<ServiceInstance> Readable(HttpContext context, IEnumerable<ServiceInstance> instances)
    {
        var acl = context.Authorizer();
        if (acl.IsManagement)
            return instances;
        return instances.Where(i =>
        {
            if (acl.ServiceRead(i.ServiceName).IsAllowed)
                return true;
            MarkFiltered(context);
            return false;
        });
    }

    /// <summary>Says that the answer left out what the token may not read.</summary>
    public static void MarkFiltered(HttpContext context) => context.Response.Headers[FilteredHeader] = "true";
}

using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Acl;

/// <summary>
/// Reads filtered to what a token may read (Consul's behaviour): list routes and aggregated health leave out the
/// services without <c>service:read</c> instead of refusing the whole answer. A management token (and every request while
/// ACLs are off) gets the answer as it is, without a copy.
/// </summary>
internal static class AclReadFilters
{
    /// <summary>The services of <paramref name="list"/> that <paramref name="acl"/> may read.</summary>
    public static ServiceList Readable(this ServiceList list, Authorizer acl)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(acl);
        if (acl.IsManagement)
            return list;
        var readable = list.Services.Where(s => acl.ServiceRead(s.ServiceName).IsAllowed).ToList();
        return readable.Count == list.Services.Count ? list : new ServiceList(readable, readable.Count, list.Index);
    }

    /// <summary>The services of <paramref name="health"/> that <paramref name="acl"/> may read, with the totals and overall status recomputed over them.</summary>
    public static AggregatedHealth Readable(this AggregatedHealth health, Authorizer acl)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(acl);
        if (acl.IsManagement)
            return health;
        var services = new SortedDictionary<string, ServiceHealth>(StringComparer.Ordinal);
        foreach (var (name, service) in health.Services)
        {
            if (acl.ServiceRead(name).IsAllowed)
                services[name] = service;
        }
        if (services.Count == health.Services.Count)
            return health;
        var healthy = services.Values.Count(s => s.Status == HealthStatusNames.Healthy);
        return health with
        {
            OverallStatus = ServiceCatalog.OverallStatus(services.Count, healthy),
            Services = services,
            TotalServices = services.Count,
            HealthyServices = healthy,
            UnhealthyServices = services.Count - healthy,
        };
    }
}

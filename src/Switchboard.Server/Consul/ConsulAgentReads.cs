using Microsoft.AspNetCore.Http;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Consul;

/// <summary>The agent and status reads: <c>/v1/agent/services</c>, <c>/v1/agent/checks</c>, <c>/v1/agent/self</c>, <c>/v1/status/*</c>, <c>/v1/catalog/datacenters</c>.</summary>
internal sealed class ConsulAgentReads(ServiceCatalog catalog, ConsulViews views, ConsulAnswers answers)
{
    /// <summary>The port Consul servers take RPC on, which <c>/v1/status/leader</c> names.</summary>
    public const int ServerRpcPort = 8300;

    /// <summary><c>GET /v1/agent/services</c>: every instance by id.</summary>
    public IResult Services(HttpContext context)
    {
        var index = catalog.PublishedIndex;
        ConsulIndex.Set(context.Response, index);
        if (context.Authorizer().IsManagement && ConsulAnswers.Serves(context.Request, out _))
            return ConsulResults.Bytes(answers.AgentServicesBytes());
        return ConsulResults.Json(context, answers.AgentServices(context), static c => c.SortedDictionaryStringConsulAgentService);
    }

    /// <summary><c>GET /v1/agent/checks</c>: every service check by id, with its latest output.</summary>
    public IResult Checks(HttpContext context)
    {
        var index = catalog.PublishedIndex;
        var checks = new SortedDictionary<string, ConsulHealthCheck>(StringComparer.Ordinal);
        foreach (var instance in ConsulAcl.Readable(context, AllInstances(catalog)))
        {
            foreach (var check in views.ServiceChecks(instance))
                checks[check.CheckId] = check;
        }
        ConsulIndex.Set(context.Response, index);
        return ConsulResults.Json(context, checks, static c => c.SortedDictionaryStringConsulHealthCheck);
    }

    /// <summary><c>GET /v1/agent/self</c>: the agent's configuration and membership, as far as clients that probe it read.</summary>
    public IResult Self(HttpContext context)
    {
        var node = views.Node;
        context.Authorizer().AgentRead(node.Name).ThrowIfDenied();
        var self = new ConsulSelf(
            new ConsulSelfConfig
            {
                Datacenter = node.Datacenter,
                PrimaryDatacenter = node.Datacenter,
                NodeName = node.Name,
                NodeId = node.Id,
                Revision = "switchboard",
                Server = true,
                Version = ConsulNodeInfo.EmulatedConsulVersion,
            },
            new ConsulMember
            {
                Name = node.Name,
                Addr = node.Address,
                Port = 8301,
                Tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["dc"] = node.Datacenter,
                    ["id"] = node.Id,
                    ["port"] = ServerRpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["role"] = "consul",
                    ["build"] = ConsulNodeInfo.EmulatedConsulVersion + ":switchboard",
                    ["vsn"] = "2",
                },
                Status = 1,
                ProtocolMin = 1,
                ProtocolMax = 5,
                ProtocolCur = 2,
                DelegateMin = 2,
                DelegateMax = 5,
                DelegateCur = 4,
            },
            new SortedDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
            {
                ["agent"] = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["services"] = catalog.InstanceCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                ["consul"] = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["server"] = "true",
                    ["leader"] = "true",
                    ["known_datacenters"] = "1",
                },
            },
            ConsulNodeInfo.Empty);
        return ConsulResults.Json(context, self, static c => c.ConsulSelf);
    }

    /// <summary><c>GET /v1/status/leader</c>: this node, as <c>"address:8300"</c>.</summary>
    public IResult Leader(HttpContext context) => ConsulResults.Json(context, LeaderAddress, static c => c.String);

    /// <summary><c>GET /v1/status/peers</c>: this node alone.</summary>
    public IResult Peers(HttpContext context) => ConsulResults.Json(context, [LeaderAddress], static c => c.IReadOnlyListString);

    /// <summary><c>GET /v1/catalog/datacenters</c>: this datacenter alone.</summary>
    public IResult Datacenters(HttpContext context) => ConsulResults.Json(context, [views.Node.Datacenter], static c => c.IReadOnlyListString);

    private string LeaderAddress => views.Node.Address.Contains(':', StringComparison.Ordinal)
        ? $"[{views.Node.Address}]:{ServerRpcPort}"
        : $"{views.Node.Address}:{ServerRpcPort}";

    /// <summary>Every instance in the catalog, by service name then id.</summary>
    public static IEnumerable<ServiceInstance> AllInstances(ServiceCatalog catalog)
    {
        foreach (var service in catalog.ListServices().Services)
        {
            if (catalog.GetService(service.ServiceName) is { } view)
            {
                foreach (var instance in view.Instances)
                    yield return instance;
            }
        }
    }
}

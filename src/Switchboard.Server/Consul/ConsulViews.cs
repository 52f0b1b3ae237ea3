using System.Net;
using System.Net.Sockets;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Health;

namespace Switchboard.Server.Consul;

/// <summary>Shows Switchboard instances and checks in Consul's shapes.</summary>
/// <remarks>
/// Status mapping: Consul's <c>passing</c>, <c>warning</c> and <c>critical</c> are Switchboard's own statuses, one for
/// one; an instance's status is its worst check, as Consul's aggregated status. An instance without checks whose health
/// comes from its native heartbeats (it has a lease, or reported a status) shows one synthetic check carrying that status,
/// so that Consul's "all checks passing" rule gives the same answer as Switchboard's status.
/// </remarks>
internal sealed class ConsulViews(ConsulNodeInfo node, ServiceCatalog catalog)
{
    /// <summary>The id of the node's own check, always passing: the registry answering is the node being alive.</summary>
    public const string SerfHealthCheckId = "serfHealth";

    /// <summary>The id prefix of the synthetic check of an instance whose status comes from native heartbeats.</summary>
    public const string LeaseCheckPrefix = "switchboard-status:";

    /// <summary>The node.</summary>
    public ConsulNodeInfo Node => node;

    /// <summary>The instance as <c>/v1/agent/services</c> shows it.</summary>
    public ConsulAgentService AgentService(ServiceInstance instance) => new()
    {
        Id = instance.InstanceId,
        Service = instance.ServiceName,
        Tags = instance.Tags,
        Meta = ConsulMeta.Visible(instance.Metadata),
        Port = instance.Port,
        Address = instance.Host,
        TaggedAddresses = TaggedAddresses(instance),
        Weights = Weights(instance),
        EnableTagOverride = ConsulMeta.TagOverride(instance.Metadata),
        Datacenter = node.Datacenter,
    };

    /// <summary>The instance as the health endpoints show it inside an entry.</summary>
    public ConsulNodeService NodeService(ServiceInstance instance) => new()
    {
        Id = instance.InstanceId,
        Service = instance.ServiceName,
        Tags = instance.Tags,
        Address = instance.Host,
        TaggedAddresses = TaggedAddresses(instance),
        Meta = ConsulMeta.Visible(instance.Metadata),
        Port = instance.Port,
        Weights = Weights(instance),
        EnableTagOverride = ConsulMeta.TagOverride(instance.Metadata),
        CreateIndex = ConsulIndex.ToConsul(instance.CreateIndex),
        ModifyIndex = ConsulIndex.ToConsul(instance.ModifyIndex),
    };

    /// <summary>The instance as <c>/v1/catalog/service/:service</c> shows it.</summary>
    public ConsulCatalogService CatalogService(ServiceInstance instance) => new()
    {
        Id = node.Id,
        Node = node.Name,
        Address = node.Address,
        Datacenter = node.Datacenter,
        TaggedAddresses = node.TaggedAddresses,
        NodeMeta = ConsulNodeInfo.Empty,
        ServiceKind = "",
        ServiceId = instance.InstanceId,
        ServiceName = instance.ServiceName,
        ServiceTags = instance.Tags,
        ServiceAddress = instance.Host,
        ServiceTaggedAddresses = TaggedAddresses(instance),
        ServiceWeights = Weights(instance),
        ServiceMeta = ConsulMeta.Visible(instance.Metadata),
        ServicePort = instance.Port,
        ServiceSocketPath = "",
        ServiceEnableTagOverride = ConsulMeta.TagOverride(instance.Metadata),
        ServiceProxy = new ConsulProxy(new ConsulEmpty(), new ConsulEmpty()),
        ServiceConnect = new ConsulEmpty(),
        CreateIndex = ConsulIndex.ToConsul(instance.CreateIndex),
        ModifyIndex = ConsulIndex.ToConsul(instance.ModifyIndex),
    };

    /// <summary>The instance with its node and every check that decides its health (the node's included), as <c>/v1/health/service/:service</c> shows it.</summary>
    public ConsulServiceEntry Entry(ServiceInstance instance) => new(node.Node, NodeService(instance), [SerfHealth(), .. ServiceChecks(instance)]);

    /// <summary>The instance's checks.</summary>
    public IEnumerable<ConsulHealthCheck> ServiceChecks(ServiceInstance instance)
    {
        if (instance.Checks.Count == 0)
        {
            if (instance.Ttl is not null || instance.Status != HealthStatus.Passing)
                yield return StatusCheck(instance);
            yield break;
        }
        foreach (var check in instance.Checks)
            yield return Check(instance, check);
    }

    /// <summary>The node's own check: <c>serfHealth</c>, passing.</summary>
    public ConsulHealthCheck SerfHealth() => new()
    {
        Node = node.Name,
        CheckId = SerfHealthCheckId,
        Name = "Serf Health Status",
        Status = HealthStatusNames.Passing,
        Notes = "",
        Output = "Agent alive and reachable",
        ServiceId = "",
        ServiceName = "",
        ServiceTags = [],
        Type = "",
        Interval = "",
        Timeout = "",
        ExposedPort = 0,
        Definition = EmptyDefinition,
        CreateIndex = node.Node.CreateIndex,
        ModifyIndex = node.Node.ModifyIndex,
    };

    private ConsulHealthCheck Check(ServiceInstance instance, InstanceCheck check)
    {
        var spec = check.Spec;
        var active = spec.Kind is HealthCheckKind.Http or HealthCheckKind.Tcp;
        return new ConsulHealthCheck
        {
            Node = node.Name,
            CheckId = check.CheckId,
            Name = spec.Name ?? $"Service '{instance.ServiceName}' check",
            Status = check.Status.ToWireName(),
            Notes = "",
            Output = catalog.FindCheck(check.CheckId) is { InstanceId: var owner, LatestOutput: var latest } && owner == instance.InstanceId ? latest : check.Output,
            ServiceId = instance.InstanceId,
            ServiceName = instance.ServiceName,
            ServiceTags = instance.Tags,
            Type = spec.Kind switch { HealthCheckKind.Http => "http", HealthCheckKind.Tcp => "tcp", _ => "ttl" },
            Interval = active ? Durations.Format(spec.EffectiveInterval) : "",
            Timeout = active ? Durations.Format(spec.EffectiveTimeout) : "",
            ExposedPort = 0,
            Definition = EmptyDefinition with
            {
                Interval = active ? Durations.Format(spec.EffectiveInterval) : "0s",
                Timeout = active ? Durations.Format(spec.EffectiveTimeout) : "0s",
                DeregisterCriticalServiceAfter = Durations.Format(spec.DeregisterCriticalAfter ?? TimeSpan.Zero),
                Http = spec.Kind == HealthCheckKind.Http ? NetworkHealthProbe.HttpCheckUrl(instance, spec).ToString() : "",
                Tcp = spec.Kind == HealthCheckKind.Tcp ? spec.Tcp ?? HostPort(instance) : "",
            },
            CreateIndex = ConsulIndex.ToConsul(instance.CreateIndex),
            ModifyIndex = ConsulIndex.ToConsul(instance.ModifyIndex),
        };
    }

    private ConsulHealthCheck StatusCheck(ServiceInstance instance) => new()
    {
        Node = node.Name,
        CheckId = LeaseCheckPrefix + instance.InstanceId,
        Name = "Switchboard heartbeat status",
        Status = instance.Status.ToWireName(),
        Notes = "The status the instance reports with its heartbeats to the native API.",
        Output = catalog.GetInstance(instance.InstanceId)?.LatestOutput ?? instance.Output,
        ServiceId = instance.InstanceId,
        ServiceName = instance.ServiceName,
        ServiceTags = instance.Tags,
        Type = instance.Ttl is null ? "" : "ttl",
        Interval = "",
        Timeout = "",
        ExposedPort = 0,
        Definition = EmptyDefinition,
        CreateIndex = ConsulIndex.ToConsul(instance.CreateIndex),
        ModifyIndex = ConsulIndex.ToConsul(instance.ModifyIndex),
    };

    private static readonly ConsulCheckDefinition EmptyDefinition = new()
    {
        Interval = "0s",
        Timeout = "0s",
        DeregisterCriticalServiceAfter = "0s",
        Http = "",
        Header = null,
        Method = "",
        Body = "",
        TlsServerName = "",
        TlsSkipVerify = false,
        Tcp = "",
    };

    private static string HostPort(ServiceInstance instance)
        => instance.Host.Contains(':', StringComparison.Ordinal) ? $"[{instance.Host}]:{instance.Port}" : $"{instance.Host}:{instance.Port}";

    private static ConsulWeights Weights(ServiceInstance instance) => new(instance.Weight, ConsulMeta.WarningWeightOf(instance.Metadata));

    /// <summary>Consul's automatic tagged addresses of a service with an IP address: <c>lan_ipv4</c>/<c>wan_ipv4</c> (or <c>_ipv6</c>); none for a host name.</summary>
    private static Dictionary<string, ConsulServiceAddress>? TaggedAddresses(ServiceInstance instance)
    {
        if (!IPAddress.TryParse(instance.Host, out var ip))
            return null;
        var family = ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
        var address = new ConsulServiceAddress(instance.Host, instance.Port);
        return new Dictionary<string, ConsulServiceAddress>(StringComparer.Ordinal) { [$"lan_{family}"] = address, [$"wan_{family}"] = address };
    }
}

using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Options;
using Switchboard.Instances;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Consul;

namespace Switchboard.Server.Dns;

/// <summary>
/// Answers one DNS query from the catalog: Consul's names and rules (docs/dns.md). Authoritative for its domains only:
/// any other name is REFUSED (never a recursive resolver); unknown names NXDOMAIN; a known name without a record of the
/// asked type (or a service without a healthy instance) NOERROR with the SOA. Reads what the anonymous token may read.
/// </summary>
internal sealed class DnsResponder
{
    private const int SoaRefresh = 3600;
    private const int SoaRetry = 600;
    private const int SoaExpire = 86400;

    // An estimate of the encoded size stops an answer before the 65,535 bytes a DNS message can hold (TCP), whatever
    // the instances' host names: a record's fixed part (type, class, TTL, length) and a compressed owner name.
    private const int RecordOverhead = 12;
    private const int MaxMessageEstimate = 60_000;

    private readonly ServiceCatalog _catalog;
    private readonly AclService _acl;
    private readonly DnsInterfaceOptions _options;
    private readonly ConsulNodeInfo _node;
    private readonly int _serviceTtl;
    private readonly int _nodeTtl;

    public DnsResponder(ServiceCatalog catalog, AclService acl, IOptions<DnsInterfaceOptions> options, ConsulNodeInfo node)
    {
        _catalog = catalog;
        _acl = acl;
        _options = options.Value;
        _node = node;
        Zone = new DnsZone(_options.Domain, _options.AltDomain, node.Datacenter);
        _serviceTtl = DnsZone.Seconds(_options.ServiceTtl);
        _nodeTtl = DnsZone.Seconds(_options.NodeTtl);
    }

    /// <summary>The domains answered.</summary>
    public DnsZone Zone { get; }

    /// <summary>The answer to <paramref name="query"/>.</summary>
    public DnsMessage Answer(DnsMessage query)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false;
        if (response.IsEDnsEnabled)
            response.EDnsOptions!.UdpPayloadSize = (ushort)Math.Clamp((int)query.EDnsOptions!.UdpPayloadSize, 512, _options.MaxUdpResponseSize);
        if (query.OperationCode != OperationCode.Query)
            return With(response, ReturnCode.NotImplemented);
        if (query.Questions.Count != 1)
            return With(response, ReturnCode.FormatError);
        var question = query.Questions[0];
        if (question.RecordClass is not (RecordClass.INet or RecordClass.Any)
            || Zone.Parse(question.Name) is not { } lookup)
            return With(response, ReturnCode.Refused);
        if (question.RecordType is RecordType.Axfr or RecordType.Ixfr)
            return With(response, ReturnCode.Refused); // no zone transfers: the catalog is read through the API
        response.IsAuthoritiveAnswer = true;
        var found = lookup.Kind switch
        {
            DnsLookupKind.Apex => AnswerApex(response, question, lookup.Zone),
            DnsLookupKind.Service => AnswerService(response, question, lookup),
            DnsLookupKind.Instance => AnswerInstance(response, question, lookup),
            DnsLookupKind.Node => AnswerNode(response, question, lookup),
            DnsLookupKind.Addr => AnswerAddr(response, question, lookup),
            _ => false,
        };
        if (!found)
            response.ReturnCode = ReturnCode.NxDomain;
        if (response.AnswerRecords.Count == 0)
            response.AuthorityRecords.Add(Soa(lookup.Zone));
        return response;
    }

    private static DnsMessage With(DnsMessage response, ReturnCode code)
    {
        response.ReturnCode = code;
        return response;
    }

    private bool AnswerApex(DnsMessage response, DnsQuestion question, DomainName zone)
    {
        if (question.RecordType is RecordType.Soa or RecordType.Any)
            response.AnswerRecords.Add(Soa(zone));
        return true;
    }

    private bool AnswerService(DnsMessage response, DnsQuestion question, DnsLookup lookup)
    {
        if (FindService(lookup) is not { } match)
            return false;
        var (view, tag) = match;
        var healthy = new List<ServiceInstance>(view.HealthyCount);
        var tagged = tag is null;
        foreach (var instance in view.Instances)
        {
            if (tag is not null && !HasTag(instance, tag))
                continue;
            tagged = true;
            if (instance.Status.IsHealthy())
                healthy.Add(instance);
        }
        if (!tagged)
            return false; // no instance has the tag: the name does not exist
        if (healthy.Count == 0)
            return true; // known, nothing healthy: NOERROR and the SOA (docs/dns.md)
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(healthy));
        AddInstances(response, question, lookup.Zone, healthy);
        return true;
    }

    /// <summary>
    /// The service and tag a name means, if the anonymous token may read it: the whole name as a service first
    /// (service names may hold dots), then the first labels as a tag of the service the others name (Consul's
    /// <c>tag.service.service.consul</c>).
    /// </summary>
    private (ServiceView View, string? Tag)? FindService(DnsLookup lookup)
    {
        if (lookup.Service is not null)
            return Readable(lookup.Service) is { } rfc ? (rfc, lookup.Tag) : null;
        var parts = lookup.Parts;
        if (Readable(parts.Length == 1 ? parts[0] : string.Join('.', parts)) is { } whole)
            return (whole, null);
        for (var split = 1; split < parts.Length; split++)
        {
            if (Readable(string.Join('.', parts, split, parts.Length - split)) is { } tagged)
                return (tagged, string.Join('.', parts, 0, split));
        }
        return null;
    }

    private ServiceView? Readable(string service)
        => _catalog.GetService(service) is { Instances.Count: > 0 } view && Anonymous().ServiceRead(service).IsAllowed ? view : null;

    private Authorizer Anonymous() => _acl.Resolve(null);

    private static bool HasTag(ServiceInstance instance, string tag)
    {
        foreach (var t in instance.Tags)
        {
            if (t.Equals(tag, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private bool AnswerInstance(DnsMessage response, DnsQuestion question, DnsLookup lookup)
    {
        var id = string.Join('.', lookup.Parts);
        if (_catalog.GetInstance(id) is not { } runtime || !Anonymous().ServiceRead(runtime.Instance.ServiceName).IsAllowed)
            return false;
        AddInstances(response, question, lookup.Zone, [runtime.Instance]);
        return true;
    }

    private bool AnswerNode(DnsMessage response, DnsQuestion question, DnsLookup lookup)
    {
        if (!string.Join('.', lookup.Parts).Equals(_node.Name, StringComparison.OrdinalIgnoreCase) || !Anonymous().AgentRead(_node.Name).IsAllowed)
            return false;
        AddHost(response, question.Name, question.RecordType, _node.Address, _nodeTtl);
        return true;
    }

    private bool AnswerAddr(DnsMessage response, DnsQuestion question, DnsLookup lookup)
    {
        if (lookup.Parts.Length != 1 || DnsZone.ParseAddr(lookup.Parts[0]) is not { } address)
            return false;
        if (Wants(question.RecordType, address))
            response.AnswerRecords.Add(AddressRecord(question.Name, _nodeTtl, address));
        return true;
    }

    /// <summary>The records of <paramref name="instances"/> (already shuffled) for the asked type, within the record and size bounds.</summary>
    private void AddInstances(DnsMessage response, DnsQuestion question, DomainName zone, IReadOnlyList<ServiceInstance> instances)
    {
        var type = question.RecordType;
        var budget = MaxMessageEstimate - NameLength(question.Name);
        var max = _options.MaxAnswerRecords;
        if (type == RecordType.Srv)
        {
            foreach (var instance in instances)
            {
                if (response.AnswerRecords.Count >= max)
                    break;
                // Consul's Weights: Passing for a passing instance, Warning (default 1) for one with a warning check.
                var weight = (ushort)Math.Clamp(instance.Status == HealthStatus.Passing ? instance.Weight : ConsulMeta.WarningWeightOf(instance.Metadata), 1, 65535);
                if (IPAddress.TryParse(instance.Host, out var address))
                {
                    var target = Zone.AddrName(address, zone);
                    budget -= RecordOverhead + 6 + NameLength(target) + RecordOverhead + 2 + AddressLength(address);
                    if (budget < 0)
                        break;
                    response.AnswerRecords.Add(new SrvRecord(question.Name, _serviceTtl, 1, weight, (ushort)instance.Port, target));
                    response.AdditionalRecords.Add(AddressRecord(target, _serviceTtl, address));
                }
                else if (DomainName.TryParse(instance.Host, out var host) && host is not null)
                {
                    budget -= RecordOverhead + 6 + NameLength(host);
                    if (budget < 0)
                        break;
                    response.AnswerRecords.Add(new SrvRecord(question.Name, _serviceTtl, 1, weight, (ushort)instance.Port, host));
                }
            }
            return;
        }
        if (type is not (RecordType.A or RecordType.Aaaa or RecordType.Any))
            return;
        string? firstHostName = null;
        foreach (var instance in instances)
        {
            if (response.AnswerRecords.Count >= max)
                break;
            if (!IPAddress.TryParse(instance.Host, out var address))
            {
                firstHostName ??= instance.Host;
                continue;
            }
            if (!Wants(type, address))
                continue;
            budget -= RecordOverhead + 2 + AddressLength(address);
            if (budget < 0)
                break;
            response.AnswerRecords.Add(AddressRecord(question.Name, _serviceTtl, address));
        }
        // Instances registered with a host name instead of an address: one CNAME (a name may have only one), and only
        // when no address answers; the client's resolver follows it (the agent never resolves names elsewhere).
        if (response.AnswerRecords.Count == 0 && firstHostName is not null && DomainName.TryParse(firstHostName, out var canonical) && canonical is not null)
            response.AnswerRecords.Add(new CNameRecord(question.Name, _serviceTtl, canonical));
    }

    private static void AddHost(DnsMessage response, DomainName name, RecordType type, string host, int ttl)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            if (Wants(type, address))
                response.AnswerRecords.Add(AddressRecord(name, ttl, address));
        }
        else if (type is (RecordType.A or RecordType.Aaaa or RecordType.Any or RecordType.CName) && DomainName.TryParse(host, out var canonical) && canonical is not null)
        {
            response.AnswerRecords.Add(new CNameRecord(name, ttl, canonical));
        }
    }

    private static bool Wants(RecordType type, IPAddress address) => type switch
    {
        RecordType.A => address.AddressFamily == AddressFamily.InterNetwork,
        RecordType.Aaaa => address.AddressFamily == AddressFamily.InterNetworkV6,
        RecordType.Any => true,
        _ => false,
    };

    private static DnsRecordBase AddressRecord(DomainName name, int ttl, IPAddress address)
        => address.AddressFamily == AddressFamily.InterNetworkV6 ? new AaaaRecord(name, ttl, address) : new ARecord(name, ttl, address);

    private static int AddressLength(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? 16 : 4;

    private static int NameLength(DomainName name)
    {
        var length = 1;
        foreach (var label in name.Labels)
            length += label.Length + 1;
        return length;
    }

    // The serial is the catalog's index: it grows when the data changes, as a zone's serial should.
    private SoaRecord Soa(DomainName zone)
        => new(zone, 0, DnsZone.NameServer(zone), DnsZone.Hostmaster(zone), (uint)_catalog.PublishedIndex, SoaRefresh, SoaRetry, SoaExpire, 0);
}

using System.Net;
using ARSoft.Tools.Net;

namespace Switchboard.Server.Dns;

/// <summary>What a question names under one of the agent's domains (Consul's name forms, docs/dns.md).</summary>
internal enum DnsLookupKind
{
    /// <summary>The domain itself (<c>consul.</c>): its SOA.</summary>
    Apex,

    /// <summary><c>[tag.]service.service[.dc].domain</c> and the RFC 2782 forms.</summary>
    Service,

    /// <summary><c>id.instance[.dc].domain</c>: one instance by id.</summary>
    Instance,

    /// <summary><c>node.node[.dc].domain</c>: the agent's node.</summary>
    Node,

    /// <summary><c>hex.addr[.dc].domain</c>: an address spelled in hex (Consul's SRV targets).</summary>
    Addr,

    /// <summary>Under the domain but nothing the agent answers (another datacenter, <c>.query.</c>, a typo): NXDOMAIN.</summary>
    Unknown,
}

/// <summary>A parsed question name.</summary>
/// <param name="Kind">What it names.</param>
/// <param name="Zone">The domain it is under (<c>consul.</c> or the alternative domain).</param>
/// <param name="Parts">The labels before the type label, lowercased for services and nodes, as written for instance ids.</param>
/// <param name="Service">For RFC 2782 names (<c>_web._tcp.service.consul</c>): the service, with <see cref="Tag"/>; otherwise null and resolved from <see cref="Parts"/>.</param>
/// <param name="Tag">For RFC 2782 names: the tag, null for <c>_tcp</c>/<c>_udp</c>.</param>
internal sealed record DnsLookup(DnsLookupKind Kind, DomainName Zone, string[] Parts, string? Service = null, string? Tag = null);

/// <summary>The agent's domains and the parsing of question names under them.</summary>
internal sealed class DnsZone
{
    private readonly DomainName[] _domains;
    private readonly string _datacenter;

    public DnsZone(string domain, string? altDomain, string datacenter)
    {
        _domains = altDomain is null ? [DomainName.Parse(Normalize(domain))] : [DomainName.Parse(Normalize(domain)), DomainName.Parse(Normalize(altDomain))];
        _datacenter = datacenter.ToLowerInvariant();
    }

    /// <summary>The domains answered, as text (<c>consul.</c>).</summary>
    public IEnumerable<string> Domains => _domains.Select(d => d.ToString(true));

    /// <summary>The datacenter label of SRV targets (<c>dc1</c>).</summary>
    public string Datacenter => _datacenter;

    /// <summary>A domain without dots at either end, lowercased.</summary>
    public static string Normalize(string domain) => domain.Trim().Trim('.').ToLowerInvariant();

    /// <summary>Null when <paramref name="domain"/> can be a domain to answer, else the reason.</summary>
    public static string? DomainError(string? domain)
    {
        var normalized = domain is null ? "" : Normalize(domain);
        if (normalized.Length is 0 or > 200)
            return "must be 1 to 200 characters";
        foreach (var label in normalized.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                return "must be dot-separated labels of 1 to 63 letters, digits and hyphens";
        }
        return null;
    }

    /// <summary>Parses a question name; null when it is under none of the agent's domains (refused: never a recursive resolver).</summary>
    public DnsLookup? Parse(DomainName name)
    {
        DomainName? zone = null;
        foreach (var domain in _domains)
        {
            if (name.IsEqualOrSubDomainOf(domain) && (zone is null || domain.LabelCount > zone.LabelCount))
                zone = domain;
        }
        if (zone is null)
            return null;
        var count = name.LabelCount - zone.LabelCount;
        if (count == 0)
            return new DnsLookup(DnsLookupKind.Apex, zone, []);
        var labels = name.Labels;
        var typeIndex = count - 1;
        // An optional datacenter label after the type: web.service.dc1.consul.
        if (count >= 3 && TypeOf(labels[count - 2]) != DnsLookupKind.Unknown && TypeOf(labels[count - 1]) == DnsLookupKind.Unknown)
        {
            if (!labels[count - 1].Equals(_datacenter, StringComparison.OrdinalIgnoreCase))
                return new DnsLookup(DnsLookupKind.Unknown, zone, []);
            typeIndex = count - 2;
        }
        var kind = TypeOf(labels[typeIndex]);
        if (kind == DnsLookupKind.Unknown || typeIndex == 0)
            return new DnsLookup(DnsLookupKind.Unknown, zone, []);
        var parts = labels[..typeIndex];
        if (kind != DnsLookupKind.Instance)
        {
            for (var i = 0; i < parts.Length; i++)
                parts[i] = parts[i].ToLowerInvariant();
        }
        if (kind == DnsLookupKind.Service && parts.Length is 2 or 3 && parts[0].StartsWith('_') && parts[1].StartsWith('_'))
        {
            // RFC 2782: _web._tcp.service.consul (no tag) or _web._v2.service.consul (tag v2); and the SDK's DNS
            // fallback's _http._tcp.web.service.consul (the port name, then the service).
            if (parts.Length == 2)
                return new DnsLookup(kind, zone, parts, parts[0][1..], parts[1] is "_tcp" or "_udp" ? null : parts[1][1..]);
            if (parts[1] is "_tcp" or "_udp")
                return new DnsLookup(kind, zone, parts, parts[2], null);
        }
        return new DnsLookup(kind, zone, parts);
    }

    /// <summary>The target name of an SRV record for an instance at <paramref name="address"/>: <c>0a000001.addr.dc1.consul.</c>.</summary>
    public DomainName AddrName(IPAddress address, DomainName zone)
        => new([Convert.ToHexStringLower(address.GetAddressBytes()), "addr", _datacenter, .. zone.Labels]);

    /// <summary>Reads an <c>.addr.</c> label: 8 hex digits for IPv4, 32 for IPv6; null otherwise.</summary>
    public static IPAddress? ParseAddr(string label)
    {
        if (label.Length is not (8 or 32) || !label.All(char.IsAsciiHexDigit))
            return null;
        var bytes = Convert.FromHexString(label);
        return new IPAddress(bytes);
    }

    /// <summary>The SOA's master name: <c>ns.consul.</c>.</summary>
    public static DomainName NameServer(DomainName zone) => new(["ns", .. zone.Labels]);

    /// <summary>The SOA's mailbox: <c>hostmaster.consul.</c>.</summary>
    public static DomainName Hostmaster(DomainName zone) => new(["hostmaster", .. zone.Labels]);

    private static DnsLookupKind TypeOf(string label) => label.ToLowerInvariant() switch
    {
        "service" => DnsLookupKind.Service,
        "instance" => DnsLookupKind.Instance,
        "node" => DnsLookupKind.Node,
        "addr" => DnsLookupKind.Addr,
        _ => DnsLookupKind.Unknown,
    };

    /// <summary>Seconds of a TTL as DNS carries them.</summary>
    public static int Seconds(TimeSpan ttl) => (int)Math.Min(ttl.TotalSeconds, int.MaxValue);
}

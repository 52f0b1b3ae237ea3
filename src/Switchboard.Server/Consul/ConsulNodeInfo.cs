using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Consul;

/// <summary>The one Consul node Switchboard presents itself as: its name, id, address and datacenter.</summary>
internal sealed class ConsulNodeInfo
{
    /// <summary>The Consul API version Switchboard's answers follow; clients that probe <c>/v1/agent/self</c> read it.</summary>
    public const string EmulatedConsulVersion = "1.20.0";

    /// <summary>The index reported as the node's own creation (the first Consul index; see <see cref="ConsulIndex"/>).</summary>
    private const long NodeIndex = 1;

    public ConsulNodeInfo(IOptions<ConsulApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        Name = o.NodeName;
        Address = o.NodeAddress;
        Datacenter = o.Datacenter;
        Id = StableId(o.NodeName);
        var tagged = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["lan"] = Address, ["wan"] = Address };
        if (IPAddress.TryParse(Address, out var ip))
        {
            var family = ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
            tagged[$"lan_{family}"] = Address;
            tagged[$"wan_{family}"] = Address;
        }
        TaggedAddresses = tagged;
        Node = new ConsulNode
        {
            Id = Id,
            Node = Name,
            Address = Address,
            Datacenter = Datacenter,
            TaggedAddresses = TaggedAddresses,
            Meta = Empty,
            CreateIndex = NodeIndex,
            ModifyIndex = NodeIndex,
        };
    }

    /// <summary>An empty string map.</summary>
    public static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>The node name.</summary>
    public string Name { get; }

    /// <summary>The node id: a UUID derived from the name, so it is stable across restarts.</summary>
    public string Id { get; }

    /// <summary>The node address.</summary>
    public string Address { get; }

    /// <summary>The datacenter.</summary>
    public string Datacenter { get; }

    /// <summary>The node's tagged addresses (<c>lan</c>, <c>wan</c> and their IP-family variants).</summary>
    public IReadOnlyDictionary<string, string> TaggedAddresses { get; }

    /// <summary>The node as the health endpoints show it.</summary>
    public ConsulNode Node { get; }

    private static string StableId(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("switchboard-node:" + name));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }
}

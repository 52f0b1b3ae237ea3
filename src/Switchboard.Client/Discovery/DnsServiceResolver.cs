using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;
using Switchboard.Instances;

namespace Switchboard.Client.Discovery;

/// <summary>DNS lookups: A/AAAA through <see cref="Dns"/> (the system resolver, /etc/hosts included), SRV through DnsClient.</summary>
internal sealed class DnsServiceResolver(IOptions<SwitchboardOptions> options) : IDnsServiceResolver
{
    private readonly DnsOptions _options = options.Value.Dns;
    private readonly Lazy<LookupClient> _lookup = new(() => CreateLookup(options.Value.Dns));

    public async Task<(IReadOnlyList<ServiceInstance> Instances, string Query)> ResolveAsync(string serviceName, CancellationToken cancellationToken)
    {
        var host = _options.Suffix is { Length: > 0 } suffix ? $"{serviceName}.{suffix.Trim('.')}" : serviceName;
        return _options.UseSrv ? await ResolveSrvAsync(serviceName, host, cancellationToken) : await ResolveAddressesAsync(serviceName, host, cancellationToken);
    }

    private async Task<(IReadOnlyList<ServiceInstance>, string)> ResolveAddressesAsync(string serviceName, string host, CancellationToken ct)
    {
        var query = $"A/AAAA {host}";
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, ct);
        }
        catch (SocketException ex)
        {
            return ([], $"{query}: {ex.SocketErrorCode}");
        }
        var instances = addresses
            .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            .Distinct()
            .Select(a => Instance(serviceName, a.ToString(), _options.Port, 1))
            .ToArray();
        return (instances, $"{query}: {instances.Length} address(es)");
    }

    private async Task<(IReadOnlyList<ServiceInstance>, string)> ResolveSrvAsync(string serviceName, string host, CancellationToken ct)
    {
        var name = $"_{_options.SrvService}._tcp.{host}";
        var query = $"SRV {name}";
        IDnsQueryResponse response;
        try
        {
            response = await _lookup.Value.QueryAsync(name, QueryType.SRV, QueryClass.IN, ct);
        }
        catch (DnsResponseException ex)
        {
            return ([], $"{query}: {ex.Code}");
        }
        var records = response.Answers.SrvRecords().ToArray();
        if (records.Length == 0)
            return ([], $"{query}: no records");
        var best = records.Min(r => r.Priority);
        var glue = Glue(response);
        var instances = records
            .Where(r => r.Priority == best)
            .Select(r => Instance(serviceName, HostOf(r.Target.Value, glue), r.Port, Math.Clamp((int)r.Weight, 1, 1000)))
            .ToArray();
        return (instances, $"{query}: {instances.Length} record(s)");
    }

    /// <summary>
    /// The addresses the answer's additional section gives for SRV targets: Consul's (and Switchboard's) targets are names
    /// such as <c>0a000001.addr.dc1.consul.</c> that only that server resolves, so the address it sends along is used.
    /// </summary>
    private static Dictionary<string, string> Glue(IDnsQueryResponse response)
    {
        var glue = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in response.Additionals.OfType<AddressRecord>())
            glue.TryAdd(record.DomainName.Value, record.Address.ToString());
        return glue;
    }

    private static string HostOf(string target, Dictionary<string, string> glue)
        => glue.TryGetValue(target, out var address) ? address : target.TrimEnd('.');

    private ServiceInstance Instance(string serviceName, string host, int port, int weight) => new()
    {
        InstanceId = $"dns-{host}-{port}",
        ServiceName = serviceName,
        Host = host,
        Port = port,
        Protocol = _options.Scheme,
        Weight = weight,
        Status = HealthStatus.Passing,
    };

    private static LookupClient CreateLookup(DnsOptions options)
    {
        if (options.NameServer is { Length: > 0 } ns && IPEndPoint.TryParse(ns, out var endpoint))
        {
            if (endpoint.Port == 0)
                endpoint.Port = 53;
            return new LookupClient(new LookupClientOptions(endpoint) { UseCache = false, Retries = 1, Timeout = TimeSpan.FromSeconds(2) });
        }
        return new LookupClient(new LookupClientOptions { UseCache = false, Retries = 1, Timeout = TimeSpan.FromSeconds(2) });
    }
}

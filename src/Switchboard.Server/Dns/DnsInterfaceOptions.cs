using System.ComponentModel.DataAnnotations;

namespace Switchboard.Server.Dns;

/// <summary>The DNS interface (<c>web.service.consul</c> over UDP and TCP), bound from <c>Switchboard:Dns</c>; see <c>docs/dns.md</c>.</summary>
public sealed class DnsInterfaceOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Dns";

    /// <summary>Consul's DNS port.</summary>
    public const int DefaultPort = 8600;

    /// <summary>The address to listen on (UDP and TCP).</summary>
    /// <value>The default value is <c>127.0.0.1</c>; the agent sets its <c>--bind</c> address.</value>
    [Required]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The port to listen on, UDP and TCP; 0 turns the DNS interface off.</summary>
    /// <value>The default value is 8600, Consul's.</value>
    [Range(0, 65535)]
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// Whether a port already in use stops the start (true) or only turns DNS off with a warning (false: the agent's
    /// default port, so a second agent on one machine, or one beside Consul, still starts).
    /// </summary>
    /// <value>The default value is true.</value>
    public bool RequirePort { get; set; } = true;

    /// <summary>The domain answered, without dots at either end (Consul's <c>domain</c>).</summary>
    /// <value>The default value is <c>consul</c>, so resolvers and clients set up for Consul work.</value>
    [Required]
    public string Domain { get; set; } = "consul";

    /// <summary>A second domain answered the same way (Consul's <c>alt_domain</c>), such as <c>switchboard</c>; null for none.</summary>
    /// <value>The default value is null.</value>
    public string? AltDomain { get; set; }

    /// <summary>The TTL of service answers (<c>.service.</c>, <c>.instance.</c>), Consul's <c>dns_config.service_ttl</c>.</summary>
    /// <value>The default value is zero, as Consul's: resolvers do not cache, so answers track health at once.</value>
    public TimeSpan ServiceTtl { get; set; } = TimeSpan.Zero;

    /// <summary>The TTL of node and address answers (<c>.node.</c>, <c>.addr.</c>), Consul's <c>dns_config.node_ttl</c>.</summary>
    /// <value>The default value is zero, as Consul's.</value>
    public TimeSpan NodeTtl { get; set; } = TimeSpan.Zero;

    /// <summary>The largest UDP answer in bytes, whatever a client's EDNS0 buffer offers; a larger answer is cut and flagged truncated (TC), and the client asks again over TCP.</summary>
    /// <value>The default value is 1,232 (the DNS flag day 2020 size, which avoids IP fragmentation); a client without EDNS0 gets 512.</value>
    [Range(512, 4096)]
    public int MaxUdpResponseSize { get; set; } = 1232;

    /// <summary>The most records in one answer over TCP (over UDP the size cuts it first); past it the answer is a random subset of this size.</summary>
    /// <value>The default value is 1,000.</value>
    [Range(1, 10_000)]
    public int MaxAnswerRecords { get; set; } = 1_000;

    /// <summary>The most TCP connections open at once; a connection past it is closed at once.</summary>
    /// <value>The default value is 128.</value>
    [Range(1, 100_000)]
    public int MaxTcpConnections { get; set; } = 128;

    /// <summary>How long a TCP connection may stay idle between queries, or take to send one, before it is closed.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most queries answered over one TCP connection before it is closed (the client reconnects).</summary>
    /// <value>The default value is 1,000.</value>
    [Range(1, int.MaxValue)]
    public int MaxQueriesPerTcpConnection { get; set; } = 1_000;

    /// <summary>The most queries (UDP and TCP together) being answered at once; past it the server reads no more packets until one is done, and the kernel's buffer drops the excess.</summary>
    /// <value>The default value is 256.</value>
    [Range(1, 100_000)]
    public int MaxConcurrentQueries { get; set; } = 256;

    /// <summary>Null when <paramref name="domain"/> can be a domain to answer (dot-separated DNS labels), else the reason.</summary>
    public static string? DomainError(string? domain) => DnsZone.DomainError(domain);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!System.Net.IPAddress.TryParse(BindAddress, out _))
            yield return new ValidationResult($"{SectionName}:BindAddress must be an IP address, not '{BindAddress}'.", [nameof(BindAddress)]);
        if (DnsZone.DomainError(Domain) is { } domainError)
            yield return new ValidationResult($"{SectionName}:Domain {domainError}, not '{Domain}'.", [nameof(Domain)]);
        if (AltDomain is not null && DnsZone.DomainError(AltDomain) is { } altError)
            yield return new ValidationResult($"{SectionName}:AltDomain {altError}, not '{AltDomain}'.", [nameof(AltDomain)]);
        else if (AltDomain is not null && DnsZone.Normalize(AltDomain) == DnsZone.Normalize(Domain))
            yield return new ValidationResult($"{SectionName}:AltDomain must differ from Domain ('{Domain}').", [nameof(AltDomain)]);
        if (ServiceTtl < TimeSpan.Zero || ServiceTtl > TimeSpan.FromDays(1))
            yield return new ValidationResult($"{SectionName}:ServiceTtl must be between 0 and 1 day, not '{ServiceTtl}'.", [nameof(ServiceTtl)]);
        if (NodeTtl < TimeSpan.Zero || NodeTtl > TimeSpan.FromDays(1))
            yield return new ValidationResult($"{SectionName}:NodeTtl must be between 0 and 1 day, not '{NodeTtl}'.", [nameof(NodeTtl)]);
        if (TcpIdleTimeout < TimeSpan.FromMilliseconds(100) || TcpIdleTimeout > TimeSpan.FromMinutes(10))
            yield return new ValidationResult($"{SectionName}:TcpIdleTimeout must be between 100ms and 10 minutes, not '{TcpIdleTimeout}'.", [nameof(TcpIdleTimeout)]);
    }
}

namespace Switchboard.Client.Discovery;

/// <summary>Settings of the DNS fallback (<c>Switchboard:Dns</c>): Docker container names, Kubernetes service DNS (seed 004).</summary>
public sealed class DnsOptions
{
    /// <summary>The default <see cref="RefreshInterval"/>.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>Whether a service that neither the registry nor <c>Switchboard:Static</c> knows is looked up in DNS.</summary>
    /// <value>The default value is false.</value>
    public bool Enabled { get; set; }

    /// <summary>A suffix appended to the service name (<c>edge-terrarium.svc.cluster.local</c> makes <c>vault</c> resolve <c>vault.edge-terrarium.svc.cluster.local</c>).</summary>
    /// <value>The default value is null (the bare name, as Docker's embedded DNS wants).</value>
    public string? Suffix { get; set; }

    /// <summary>Whether to query SRV records (<c>_{SrvService}._tcp.{name}</c>) for host and port instead of A/AAAA.</summary>
    /// <value>The default value is false.</value>
    public bool UseSrv { get; set; }

    /// <summary>The service label of SRV queries (Kubernetes names it after the port name).</summary>
    /// <value>The default value is <c>http</c>.</value>
    public string SrvService { get; set; } = "http";

    /// <summary>The port of instances found by A/AAAA lookup.</summary>
    /// <value>The default value is 80.</value>
    public int Port { get; set; } = 80;

    /// <summary>The scheme of instances found in DNS, <c>http</c> or <c>https</c>.</summary>
    /// <value>The default value is <c>http</c>.</value>
    public string Scheme { get; set; } = "http";

    /// <summary>The name server for SRV queries as <c>host:port</c>; empty for the system's.</summary>
    /// <value>The default value is null.</value>
    public string? NameServer { get; set; }

    /// <summary>How often a service found in DNS is looked up again.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RefreshInterval { get; set; } = DefaultRefreshInterval;
}

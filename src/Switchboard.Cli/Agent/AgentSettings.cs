namespace Switchboard.Cli.Agent;

/// <summary>What <c>switchboard agent</c> was asked to run.</summary>
/// <param name="Bind">The address to listen on.</param>
/// <param name="Port">The port to listen on; 0 picks a free one.</param>
/// <param name="DataDirectory">Where the embedded store keeps its files; ignored with <paramref name="Dev"/>.</param>
/// <param name="Dev">Keep everything in memory; nothing survives a restart.</param>
/// <param name="DefaultTtl">The lease for registrations that name none, when set.</param>
internal sealed record AgentSettings(string Bind, int Port, string DataDirectory, bool Dev, TimeSpan? DefaultTtl)
{
    /// <summary>The store kind (<c>embedded</c>, <c>memory</c>, <c>redis</c>); null: <c>Switchboard:Store:Kind</c>, else embedded (memory with <see cref="Dev"/>).</summary>
    public string? Store { get; init; }

    /// <summary>The Redis connection string, when given on the command line.</summary>
    public string? Redis { get; init; }

    /// <summary>The Redis key namespace, when given on the command line.</summary>
    public string? RedisNamespace { get; init; }

    /// <summary>The file of the certificate authority to trust for Redis over TLS, when given on the command line.</summary>
    public string? RedisCa { get; init; }

    /// <summary>Hybrid mode, when asked for on the command line.</summary>
    public bool Hybrid { get; init; }

    /// <summary>Start the embedded store despite damaged files, keeping what is valid (<c>--recover</c>); false leaves <c>Switchboard:Store:Embedded:Recover</c> in charge.</summary>
    public bool Recover { get; init; }

    /// <summary>The most connections open at once (<c>--max-connections</c>), when given; else <c>Switchboard:Limits:MaxConnections</c> or the descriptor-derived default.</summary>
    public int? MaxConnections { get; init; }

    /// <summary>The most connections per client address (<c>--max-conns-per-client</c>), when given; else <c>Switchboard:Limits:MaxConnectionsPerClient</c> (200).</summary>
    public int? MaxConnectionsPerClient { get; init; }

    /// <summary>The server certificate file (<c>--tls-cert</c>), when given; else <c>Switchboard:Tls:CertFile</c>.</summary>
    public string? TlsCert { get; init; }

    /// <summary>The server certificate's key file (<c>--tls-key</c>), when given; else <c>Switchboard:Tls:KeyFile</c>.</summary>
    public string? TlsKey { get; init; }

    /// <summary>The certificate authorities of mutual TLS (<c>--tls-ca</c>), when given; else <c>Switchboard:Tls:CaFile</c>.</summary>
    public string? TlsCa { get; init; }

    /// <summary>Require client certificates (<c>--verify-incoming</c>); false leaves <c>Switchboard:Tls:VerifyIncoming</c> in charge.</summary>
    public bool VerifyIncoming { get; init; }

    /// <summary>Enforce ACLs (<c>--acl</c>); false leaves <c>Switchboard:Acl:Enabled</c> in charge.</summary>
    public bool Acl { get; init; }

    /// <summary>What a request may do when no rule of its token matches (<c>--acl-default-policy allow|deny</c>), when given; else <c>Switchboard:Acl:DefaultPolicy</c>.</summary>
    public string? AclDefaultPolicy { get; init; }

    /// <summary>Serve <c>/metrics</c> (<c>--metrics true|false</c>), when given; else <c>Switchboard:Telemetry:Metrics</c> (on).</summary>
    public bool? Metrics { get; init; }

    /// <summary>The console log format (<c>--log-format text|json</c>), when given; else <c>Switchboard:Telemetry:LogFormat</c> (text).</summary>
    public string? LogFormat { get; init; }

    /// <summary>The DNS port, UDP and TCP (<c>--dns-port</c>; 0 turns DNS off), when given; else <c>Switchboard:Dns:Port</c> (8600).</summary>
    public int? DnsPort { get; init; }

    /// <summary>A second DNS domain to answer besides <c>consul.</c> (<c>--dns-domain</c>), when given; else <c>Switchboard:Dns:AltDomain</c>.</summary>
    public string? DnsDomain { get; init; }

    /// <summary>The Default log level (<c>--log-level</c>), when given; else <c>Logging:LogLevel:Default</c> (Information).</summary>
    public string? LogLevel { get; init; }
}

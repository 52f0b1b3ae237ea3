using System.CommandLine;
using System.Net;
using Switchboard.Cli.Agent;
using Switchboard.Cli.Agent.Telemetry;
using Switchboard.Json;
using Switchboard.Registry.Storage;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard agent</c>: runs the registry.</summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "The port to listen on: Consul's 8500 by default, so Consul clients with default settings find it (0 picks a free one)", DefaultValueFactory = _ => 8500 };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
                r.AddError("--port must be between 0 and 65535");
        });
        var bind = new Option<string>("--bind", "-b") { Description = "The address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        bind.Validators.Add(r =>
        {
            if (!IPAddress.TryParse(r.GetValueOrDefault<string>(), out _))
                r.AddError($"--bind must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1, not '{r.GetValueOrDefault<string>()}'");
        });
        var dataDir = new Option<string>("--data-dir", "-d") { Description = "Where the embedded store keeps the catalog", DefaultValueFactory = _ => EmbeddedStoreOptions.DefaultDataDirectory };
        var dev = new Option<bool>("--dev") { Description = "Keep everything in memory: nothing is persisted" };
        var ttl = new Option<string?>("--default-ttl") { Description = "The lease for registrations that name none (default 5m)" };
        ttl.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string?>();
            if (value is not null && !(Durations.TryParse(value, out var d) && d >= TimeSpan.FromSeconds(1)))
                r.AddError($"--default-ttl must be a duration of at least 1s such as 30s or 5m, not '{value}'");
        });

        var store = new Option<string?>("--store") { Description = "Where the catalog lives: embedded (default), memory, or redis (several nodes over one Redis)" };
        store.AcceptOnlyFromAmong(AgentStores.Kinds);
        var redis = new Option<string?>("--redis") { Description = "The Redis connection string (StackExchange.Redis syntax, e.g. localhost:6379,password=...,ssl=true); implies --store redis" };
        var redisNamespace = new Option<string?>("--redis-namespace") { Description = "The Redis key namespace (default switchboard; seed 000 uses munbon:services)" };
        var redisCa = new Option<string?>("--redis-ca") { Description = "A PEM file with the certificate authority that issued the Redis server's TLS certificate (trusted for this connection only; needs ssl=true)" };
        var recover = new Option<bool>("--recover") { Description = "Start even if the data directory is damaged: drop corrupt records (each logged with file and offset), keep what is valid, and set the damaged files aside as *.damaged" };
        var hybrid = new Option<bool>("--hybrid") { Description = "With Redis: keep serving and accepting writes from memory while Redis is unreachable, and write back when it returns" };

        var maxConnections = new Option<int?>("--max-connections") { Description = "The most connections open at once (default: the open-file limit, minus the files open at start, minus a reserve of an eighth of it, at least 256)" };
        maxConnections.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
                r.AddError("--max-connections must be at least 1");
        });
        var maxPerClient = new Option<int?>("--max-conns-per-client") { Description = "The most connections one client address may have open; 0 for no limit (default 200, Consul's)" };
        maxPerClient.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0)
                r.AddError("--max-conns-per-client must be 0 (no limit) or more");
        });

        var tlsCert = new Option<string?>("--tls-cert") { Description = "Serve HTTPS with this PEM certificate (optionally followed by its intermediates); a renewed file is picked up without a restart" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "The PEM private key of --tls-cert (unencrypted)" };
        var tlsCa = new Option<string?>("--tls-ca") { Description = "A PEM file with the certificate authorities whose client certificates --verify-incoming accepts" };
        var verifyIncoming = new Option<bool>("--verify-incoming") { Description = "Mutual TLS: every caller must present a client certificate that --tls-ca issued" };
        var acl = new Option<bool>("--acl") { Description = "Enforce ACL tokens on every API (Switchboard:Acl:Enabled); create the first token with 'switchboard acl bootstrap'" };
        var aclDefault = new Option<string?>("--acl-default-policy") { Description = "With --acl: what a token may do where no rule of its policies matches, allow (default) or deny" };
        aclDefault.AcceptOnlyFromAmong(AgentAcl.DefaultPolicies);
        var dnsPort = new Option<int?>("--dns-port") { Description = "The DNS port, UDP and TCP, on the --bind address: Consul's 8600 by default (web.service.consul; docs/dns.md); 0 turns DNS off" };
        dnsPort.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0 or > 65535)
                r.AddError("--dns-port must be between 0 (off) and 65535");
        });
        var dnsDomain = new Option<string?>("--dns-domain") { Description = "A second DNS domain answered like consul. (for example switchboard: web.service.switchboard)" };
        dnsDomain.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && Switchboard.Server.Dns.DnsInterfaceOptions.DomainError(value) is { } error)
                r.AddError($"--dns-domain {error}, not '{value}'");
        });
        var metrics = TelemetryOptions.Metrics();
        var logFormat = TelemetryOptions.LogFormat();
        var logLevel = TelemetryOptions.LogLevel();

        var command = new Command("agent", "Run the registry (embedded durable store; --dev for memory only; --store redis for several nodes)")
        {
            port, bind, dataDir, dev, ttl, store, redis, redisNamespace, redisCa, hybrid, recover, maxConnections, maxPerClient,
            tlsCert, tlsKey, tlsCa, verifyIncoming, acl, aclDefault, dnsPort, dnsDomain, metrics, logFormat, logLevel,
        };
        command.SetAction((parse, ct) =>
        {
            TimeSpan? defaultTtl = parse.GetValue(ttl) is { } t && Durations.TryParse(t, out var d) ? d : null;
            var settings = new AgentSettings(parse.GetValue(bind)!, parse.GetValue(port), parse.GetValue(dataDir)!, parse.GetValue(dev), defaultTtl)
            {
                Store = parse.GetValue(store),
                Redis = parse.GetValue(redis),
                RedisNamespace = parse.GetValue(redisNamespace),
                RedisCa = parse.GetValue(redisCa),
                Hybrid = parse.GetValue(hybrid),
                Recover = parse.GetValue(recover),
                MaxConnections = parse.GetValue(maxConnections),
                MaxConnectionsPerClient = parse.GetValue(maxPerClient),
                TlsCert = parse.GetValue(tlsCert),
                TlsKey = parse.GetValue(tlsKey),
                TlsCa = parse.GetValue(tlsCa),
                VerifyIncoming = parse.GetValue(verifyIncoming),
                Acl = parse.GetValue(acl),
                AclDefaultPolicy = parse.GetValue(aclDefault),
                DnsPort = parse.GetValue(dnsPort),
                DnsDomain = parse.GetValue(dnsDomain),
                Metrics = TelemetryOptions.ParseMetrics(parse.GetValue(metrics)),
                LogFormat = parse.GetValue(logFormat),
                LogLevel = parse.GetValue(logLevel),
            };
            return AgentHost.RunAsync(settings, ct);
        });
        return command;
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Cli.Agent.Telemetry;
using Switchboard.Cli.Agent.Tls;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Storage;
using Switchboard.Server.Consul;
using Switchboard.Server.Limits;

namespace Switchboard.Cli.Agent;

/// <summary>Runs the registry: Kestrel + the native API over the embedded (or in-memory) store.</summary>
internal static class AgentHost
{
    public static WebApplication Build(AgentSettings settings)
    {
        // Before Kestrel reads its limits: the default connection limit is derived from the (raised) soft descriptor limit.
        var descriptors = DescriptorLimit.RaiseSoftToHard();
        var builder = WebApplication.CreateSlimBuilder();
        var telemetry = TelemetrySettings.Resolve(settings, builder.Configuration);
        AgentLogging.UseQuietDefaults(builder.Configuration, settings.LogLevel, telemetry.JsonLogs);
        AgentLogging.Use(builder.Logging, telemetry.JsonLogs);
        // A start-up failure is reported by RunAsync as one line on stderr, not as the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(settings.Bind), settings.Port, listen =>
            {
                // The connection limit comes first: a refused connection costs no handshake.
                listen.UseSwitchboardClientConnectionLimit();
                kestrel.ApplicationServices.GetRequiredService<AgentTls>().Use(listen);
            });
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        AgentTlsSetup.Add(builder.Services, settings);
        var registry = builder.Services.AddSwitchboardRegistry();
        builder.Services.AddSwitchboardConnectionLimits();
        if (settings.MaxConnections is { } maxConnections)
            builder.Services.Configure<LimitsOptions>(o => o.MaxConnections = maxConnections);
        if (settings.MaxConnectionsPerClient is { } perClient)
            builder.Services.Configure<LimitsOptions>(o => o.MaxConnectionsPerClient = perClient);
        AgentStores.Use(registry, settings, builder.Configuration);
        if (settings.DefaultTtl is { } ttl)
            builder.Services.Configure<RegistryOptions>(o => o.DefaultTtl = ttl);
        AgentAcl.Configure(builder.Configuration, settings);
        AgentDns.Configure(builder.Configuration, settings);
        builder.Services.AddSwitchboardDns();
        AgentTelemetry.Add(builder, telemetry);
        // The Consul API's node address (where services registered without an address are reached) is the bind
        // address when that is a specific one, unless configured.
        var bind = IPAddress.Parse(settings.Bind);
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any) && builder.Configuration[$"{ConsulApiOptions.SectionName}:{nameof(ConsulApiOptions.NodeAddress)}"] is null)
            builder.Services.Configure<ConsulApiOptions>(o => o.NodeAddress = bind.ToString());

        var app = builder.Build();
        app.MapSwitchboardApi();
        AgentTelemetry.Map(app, telemetry);
        AgentLimitsLog.Write(app.Services, descriptors);
        return app;
    }

    /// <summary>Starts the agent, prints where it listens, and runs until Ctrl-C or SIGTERM.</summary>
    public static async Task<int> RunAsync(AgentSettings settings, CancellationToken cancellationToken)
    {
        WebApplication built;
        try
        {
            built = Build(settings);
        }
        catch (OptionsValidationException ex)
        {
            // Kestrel reads the limits while the host is built, before the start validates the other options.
            return CliErrors.Fail($"invalid configuration: {string.Join("; ", ex.Failures)}");
        }
        await using var app = built;
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || ex.InnerException is System.Net.Sockets.SocketException)
        {
            return CliErrors.Fail($"cannot listen on {settings.Bind}:{settings.Port}: the port is already in use (choose another with --port)");
        }
        catch (OptionsValidationException ex)
        {
            return CliErrors.Fail($"invalid configuration: {string.Join("; ", ex.Failures)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store's load (damaged, unreadable or unwritable data directory) and anything else that stops the start.
            return CliErrors.Fail(CliErrors.OneLine(ex));
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is not null)
            await WarmUpAsync(address, app.Services.GetRequiredService<AgentTls>(), cancellationToken);
        var where = AgentStores.Describe(app.Services.GetRequiredService<IRegistryStore>());
        // On stdout, just before the line that says where it listens, so that no one reads one without the other.
        if (AgentExposure.Warning(settings.Bind, app.Configuration.GetValue<bool>("Switchboard:Acl:Enabled")) is { } warning)
            Console.Out.WriteLine(warning);
        Console.Out.WriteLine($"switchboard agent listening on {address} (store: {where})");
        await Console.Out.FlushAsync(cancellationToken);

        await app.WaitForShutdownAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>
    /// Answers one request before the agent says it listens: the first request builds the routing tables and compiles
    /// the handlers (a second or more on a busy machine), which must not land on the first client's timeout.
    /// </summary>
    private static async Task WarmUpAsync(string address, AgentTls tls, CancellationToken cancellationToken)
    {
        var uri = new UriBuilder(address);
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var host) && (host.Equals(IPAddress.Any) || host.Equals(IPAddress.IPv6Any)))
            uri.Host = host.Equals(IPAddress.Any) ? "127.0.0.1" : "[::1]";
        uri.Path = Switchboard.Api.RegistryRoutes.Health;
        using var http = new HttpClient(tls.WarmUpHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await http.GetAsync(uri.Uri, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // Not fatal: the agent serves anyway, the first client just pays the warm-up.
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // As above: a warm-up that times out only delays the announcement.
        }
        finally
        {
            tls.EndWarmUp();
        }
    }
}

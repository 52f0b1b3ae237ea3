using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchboard.Registry.Diagnostics;
using Switchboard.Server.Diagnostics;

namespace Switchboard.Cli.Agent.Telemetry;

/// <summary>
/// The agent's OpenTelemetry set-up: the registry's meter and ASP.NET Core's and Kestrel's built-in meters on
/// <c>/metrics</c> (Prometheus text format, <c>agent:read</c> when ACLs are on), and traces, metrics and logs over OTLP
/// when an <c>OTEL_EXPORTER_OTLP_*ENDPOINT</c> variable is set.
/// </summary>
internal static class AgentTelemetry
{
    /// <summary>Where the agent serves its metrics.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The meters the agent exports.</summary>
    public static readonly string[] Meters =
    [
        RegistryTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting", "System.Net.Http",
    ];

    /// <summary>Adds the providers the settings ask for; nothing at all when neither metrics nor OTLP is on.</summary>
    public static void Add(WebApplicationBuilder builder, TelemetrySettings telemetry)
    {
        if (!telemetry.Metrics && !telemetry.Otlp)
            return;
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("switchboard-agent", serviceVersion: typeof(AgentTelemetry).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddMeter(Meters);
                if (telemetry.Metrics)
                    m.AddPrometheusExporter();
            });
        if (telemetry.Otlp)
        {
            // The agent's own requests and probes; the SDK's spans join the same traces through traceparent.
            otel.WithTracing(t => t.AddAspNetCoreInstrumentation(o => o.Filter = static c => c.Request.Path != MetricsPath).AddSource(RegistryTelemetry.Name));
            otel.UseOtlpExporter(); // reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS and the per-signal variables
        }
    }

    /// <summary>Maps <c>/metrics</c> when metrics are on.</summary>
    public static void Map(WebApplication app, TelemetrySettings telemetry)
    {
        if (telemetry.Metrics)
            app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: static b => b.UseAgentReadGate(), optionsName: null);
    }
}

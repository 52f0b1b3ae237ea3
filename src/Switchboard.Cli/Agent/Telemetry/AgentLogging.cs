using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging;

namespace Switchboard.Cli.Agent.Telemetry;

/// <summary>The agent's console log: one line of text per event, or one JSON object per line with the request's scopes.</summary>
internal static class AgentLogging
{
    /// <summary>The values <c>--log-level</c> accepts (<see cref="LogLevel"/>'s names).</summary>
    public static readonly string[] Levels = ["trace", "debug", "information", "warning", "error", "critical", "none"];

    /// <summary>ASP.NET Core's per-request logging category (request start and end, the request's scope).</summary>
    public const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// The defaults under every other configuration source: lifecycle, the agent's own events and warnings at Information;
    /// ASP.NET Core's per-request events (about five lines a request, which cost throughput) at Warning. A setting in
    /// appsettings.json, the environment or <paramref name="level"/> (<c>--log-level</c>, the Default level) wins.
    /// </summary>
    /// <remarks>
    /// With text logs (<paramref name="json"/> false) ASP.NET Core's hosting diagnostics category is off: while any logger
    /// is enabled for it, ASP.NET Core starts an <c>Activity</c> and a log scope (RequestId, RequestPath) for every request,
    /// which only the JSON format prints, at about a tenth of a cached read's cost (docs/benchmarks.md, "Per-request
    /// scopes"). JSON logs keep them, and OTLP tracing starts the request's span either way.
    /// </remarks>
    public static void UseQuietDefaults(ConfigurationManager configuration, string? level, bool json)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        if (!json && !HostingLevelConfigured(configuration))
            defaults[$"Logging:LogLevel:{HostingDiagnostics}"] = "None";
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
        if (level is not null)
            configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = level });
    }

    /// <summary>Whether a setting names a level for the hosting diagnostics category or one of its parents: it then wins.</summary>
    private static bool HostingLevelConfigured(IConfiguration configuration)
    {
        for (var category = HostingDiagnostics; ; category = category[..category.LastIndexOf('.')])
        {
            if (configuration[$"Logging:LogLevel:{category}"] is not null)
                return true;
            if (!category.Contains('.', StringComparison.Ordinal))
                return false;
        }
    }

    /// <summary>Sets the console provider's format (the host's other providers stay).</summary>
    public static void Use(ILoggingBuilder logging, bool json)
    {
        // The trace and span ids join each event's scopes, beside ASP.NET Core's RequestId and RequestPath.
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (json)
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
            return;
        }
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
    }
}

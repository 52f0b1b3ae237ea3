using Microsoft.Extensions.Configuration;

namespace Switchboard.Cli.Agent.Telemetry;

/// <summary>
/// The agent's telemetry choices, resolved once at start from the flags, <c>Switchboard:Telemetry</c> and the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables; a bad value stops the start with one line naming its option.
/// </summary>
/// <param name="Metrics">Serve <c>/metrics</c> in the Prometheus text format.</param>
/// <param name="JsonLogs">Write the console log as JSON, one object per line.</param>
/// <param name="Otlp">Export traces, metrics and logs over OTLP (an endpoint variable is set).</param>
internal sealed record TelemetrySettings(bool Metrics, bool JsonLogs, bool Otlp)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Switchboard:Telemetry";

    /// <summary>The values <c>--log-format</c> accepts.</summary>
    public static readonly string[] LogFormats = ["text", "json"];

    /// <summary>The OTLP endpoint variables: the shared one and one per signal.</summary>
    public static readonly string[] EndpointVariables =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    ];

    /// <summary>Resolves the settings; the flags win over configuration.</summary>
    /// <exception cref="CliException">A value is not one the option takes.</exception>
    public static TelemetrySettings Resolve(AgentSettings settings, IConfiguration configuration)
    {
        var metrics = settings.Metrics ?? ParseBool(configuration, $"{Section}:Metrics") ?? true;
        var format = settings.LogFormat ?? configuration[$"{Section}:LogFormat"] ?? "text";
        if (!LogFormats.Contains(format, StringComparer.Ordinal))
            throw Bad($"{(settings.LogFormat is null ? $"{Section}:LogFormat" : "--log-format")} must be text or json, not '{format}'");
        var otlp = false;
        foreach (var variable in EndpointVariables)
        {
            if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } value)
                continue;
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
                throw Bad($"{variable} must be an absolute http:// or https:// URL such as http://localhost:4318, not '{value}'");
            otlp = true;
        }
        return new TelemetrySettings(metrics, format == "json", otlp);
    }

    private static bool? ParseBool(IConfiguration configuration, string key)
    {
        if (configuration[key] is not { } value)
            return null;
        return bool.TryParse(value, out var parsed) ? parsed : throw Bad($"{key} must be true or false, not '{value}'");
    }

    private static CliException Bad(string message) => new($"invalid configuration: {message}", CliErrors.Usage);
}

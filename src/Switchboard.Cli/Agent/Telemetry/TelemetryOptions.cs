using System.CommandLine;

namespace Switchboard.Cli.Agent.Telemetry;

/// <summary>The agent's telemetry flags, <c>--metrics</c>, <c>--log-format</c> and <c>--log-level</c>, each refusing a bad value with a line naming it.</summary>
internal static class TelemetryOptions
{
    /// <summary><c>--metrics true|false</c>.</summary>
    public static Option<string?> Metrics()
    {
        var option = new Option<string?>("--metrics") { Description = "Serve /metrics in the Prometheus text format: true (default) or false; needs agent:read with --acl" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && !bool.TryParse(value, out _))
                r.AddError($"--metrics must be true or false, not '{value}'");
        });
        return option;
    }

    /// <summary><c>--log-format text|json</c>.</summary>
    public static Option<string?> LogFormat()
    {
        var option = new Option<string?>("--log-format") { Description = "The console log: text (default) or json (one object per line, with trace and request ids)" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && !TelemetrySettings.LogFormats.Contains(value, StringComparer.Ordinal))
                r.AddError($"--log-format must be text or json, not '{value}'");
        });
        return option;
    }

    /// <summary><c>--log-level trace|debug|information|warning|error|critical|none</c>.</summary>
    public static Option<string?> LogLevel()
    {
        var option = new Option<string?>("--log-level")
        {
            Description = "The least severe log events written: trace, debug, information (default), warning, error, critical or none (ASP.NET Core's per-request events stay at warning unless Logging:LogLevel:Microsoft.AspNetCore says otherwise)",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && !AgentLogging.Levels.Contains(value, StringComparer.OrdinalIgnoreCase))
                r.AddError($"--log-level must be one of {string.Join(", ", AgentLogging.Levels)}, not '{value}'");
        });
        return option;
    }

    /// <summary>The value of <see cref="Metrics"/>, parsed (the validator refused anything else).</summary>
    public static bool? ParseMetrics(string? value) => value is null ? null : bool.Parse(value);
}

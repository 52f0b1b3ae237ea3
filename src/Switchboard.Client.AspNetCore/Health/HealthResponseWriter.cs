using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Switchboard.Client.Health;

/// <summary>Writes a health report as JSON: <c>{"status":"healthy","service":...,"timestamp":...,"duration_ms":...,"checks":{"db":{"status":...}}}</c>.</summary>
internal static class HealthResponseWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var service = context.RequestServices.GetService<IOptions<SwitchboardOptions>>()?.Value is { } o
            ? o.Registration.ServiceName ?? o.ServiceName
            : null;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", Name(report.Status));
        if (service is not null)
            writer.WriteString("service", service);
        writer.WriteString("timestamp", time.GetUtcNow());
        writer.WriteNumber("duration_ms", Math.Round(report.TotalDuration.TotalMilliseconds, 3));
        writer.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            writer.WriteStartObject(name);
            writer.WriteString("status", Name(entry.Status));
            if (entry.Description is { } description)
                writer.WriteString("description", description);
            if (entry.Exception is { } ex)
                writer.WriteString("error", ex.Message);
            writer.WriteNumber("duration_ms", Math.Round(entry.Duration.TotalMilliseconds, 3));
            if (entry.Data.Count > 0)
            {
                writer.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                    writer.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

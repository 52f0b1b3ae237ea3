using Microsoft.Extensions.Logging;

namespace Switchboard.Cli.Agent.Telemetry;

/// <summary>The agent's console log: one line of text per event, or one JSON object per line with the request's scopes.</summary>
internal static class AgentLogging
{
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

using System.Diagnostics;
using Switchboard.Client.Calls;

namespace Switchboard.Samples.Irrigation.Hosting;

/// <summary>
/// Gives every request one <c>X-Request-ID</c> (the caller's, else a new one), writes it back on the request so that
/// the Switchboard client propagates it on every outgoing call, echoes it on the response, and opens a logging scope
/// with it and the calling service, so each JSON log line of the request carries both. Logs one access line per request.
/// </summary>
internal sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    /// <summary>The logging scope key of the request id.</summary>
    public const string ScopeKey = "request_id";

    private const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Accept(context.Request.Headers[SwitchboardHeaders.RequestId].ToString()) ?? RequestIds.New();
        context.Request.Headers[SwitchboardHeaders.RequestId] = requestId;
        context.Response.Headers[SwitchboardHeaders.RequestId] = requestId;
        var caller = context.Request.Headers[SwitchboardHeaders.ServiceName].ToString();

        using var scope = logger.BeginScope(new RequestScope(requestId, caller.Length == 0 ? "-" : caller));
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (context.RequestAborted.IsCancellationRequested)
                LogAborted(logger, context.Request.Method, context.Request.Path, elapsed);
            else
                LogServed(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, elapsed);
        }
    }

    /// <summary>The caller's id when it is usable: 1 to 128 letters, digits, '-', '_', '.' or ':'.</summary>
    private static string? Accept(string value) =>
        value.Length is > 0 and <= MaxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':') ? value : null;

    [LoggerMessage(1, LogLevel.Information, "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms", EventName = "RequestServed")]
    private static partial void LogServed(ILogger logger, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(2, LogLevel.Information, "{Method} {Path} aborted after {ElapsedMs:0.0} ms", EventName = "RequestAborted")]
    private static partial void LogAborted(ILogger logger, string method, string path, double elapsedMs);
}

using Microsoft.Extensions.Logging;

namespace Switchboard.Client.Calls;

internal sealed partial class ServiceClient
{
    [LoggerMessage(1600, LogLevel.Debug, "Call to {Service} failed after {Attempts} attempt(s): {Error}", EventName = "CallFailed")]
    private static partial void LogCallFailed(ILogger logger, string service, int attempts, string error);

    [LoggerMessage(1601, LogLevel.Warning, "A service error handler threw for service {Service}; the exception is ignored.", EventName = "ErrorHandlerFailed")]
    private static partial void LogErrorHandlerFailed(ILogger logger, Exception exception, string service);
}

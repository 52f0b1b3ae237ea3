using Microsoft.Extensions.Logging;

namespace Switchboard.Registry.Health;

public sealed partial class HealthCheckScheduler
{
    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Health check {CheckId} threw", EventName = "HealthCheckThrew")]
        public static partial void ProbeFailed(ILogger logger, string checkId, Exception exception);

        [LoggerMessage(21, LogLevel.Warning, "The result of health check {CheckId} could not be saved", EventName = "HealthCheckResultNotSaved")]
        public static partial void ResultNotSaved(ILogger logger, string checkId, Exception exception);
    }
}

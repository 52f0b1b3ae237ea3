using Microsoft.Extensions.Logging;

namespace Switchboard.Registry.Health;

public sealed partial class HealthCheckScheduler
{
    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Health check {CheckId} threw", EventName = "HealthCheckThrew")]
        public static partial void ProbeFailed(ILogger logger, string checkId, Exception exception);
    }
}

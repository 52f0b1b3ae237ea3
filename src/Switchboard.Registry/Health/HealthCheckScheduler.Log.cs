using Microsoft.Extensions.Logging;

namespace Switchboard.Registry.Health;

internal sealed partial class HealthCheckScheduler
{
    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Health check {CheckId} threw", EventName = "HealthCheckThrew")]
        public static partial void ProbeFailed(ILogger logger, string checkId, Exception exception);

        [LoggerMessage(21, LogLevel.Warning, "The result of health check {CheckId} could not be saved", EventName = "HealthCheckResultNotSaved")]
        public static partial void ResultNotSaved(ILogger logger, string checkId, Exception exception);

        [LoggerMessage(22, LogLevel.Warning,
            "{Count} health-check probes started late (more than half an interval after due) since the last report, the worst {Worst:0.0} s late: {Running} of {Limit} probe slots in use, {Waiting} probes waiting (Switchboard:Registry:MaxConcurrentChecks)",
            EventName = "HealthCheckProbesLate")]
        public static partial void LateProbes(ILogger logger, long count, double worst, int running, int limit, int waiting);
    }
}

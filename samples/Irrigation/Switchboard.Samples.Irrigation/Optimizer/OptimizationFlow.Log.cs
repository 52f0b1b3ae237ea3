namespace Switchboard.Samples.Irrigation.Optimizer;

internal sealed partial class OptimizationFlow
{
    [LoggerMessage(1, LogLevel.Information, "Optimization {OptimizationId} started for {Zones} over {HorizonHours} h", EventName = "OptimizationStarted")]
    private static partial void LogStarted(ILogger logger, string optimizationId, string zones, double horizonHours);

    [LoggerMessage(2, LogLevel.Information, "Optimization {OptimizationId} finished {Status} with {WarningCount} warning(s)", EventName = "OptimizationFinished")]
    private static partial void LogFinished(ILogger logger, string optimizationId, string status, int warningCount);

    [LoggerMessage(3, LogLevel.Warning, "Optimization {OptimizationId}: {Warning}", EventName = "OptimizationWarning")]
    private static partial void LogWarning(ILogger logger, string optimizationId, string warning);
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Server.Limits;

namespace Switchboard.Cli.Agent;

/// <summary>Logs, at start, the descriptor limit the agent raised and the connection limits it derived from it.</summary>
internal static partial class AgentLimitsLog
{
    public static void Write(IServiceProvider services, (DescriptorLimit.Values? Before, DescriptorLimit.Values? After) descriptors)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Agent");
        if (descriptors is { Before: { } before, After: { } after })
            LogDescriptors(logger, before.Soft, after.Soft, after.Hard);
        else
            LogNoDescriptors(logger);
        LimitsOptions limits;
        try
        {
            limits = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
        }
        catch (OptionsValidationException)
        {
            return; // reported by the start, as one line
        }
        LogLimits(logger, limits.EffectiveMaxConnections?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited", limits.MaxConnectionsPerClient,
            limits.MaxBlockingQueries, limits.MaxBlockingQueriesPerClient, limits.MaxEventSubscribers, limits.MaxEventSubscribersPerClient, limits.EventBacklog,
            limits.EventStreamBytesPerSecond == 0 ? "unlimited" : $"{limits.EventStreamBytesPerSecond / (1024.0 * 1024.0):0.#} MiB/s");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Open-file limit (RLIMIT_NOFILE): soft {Before} raised to {Soft}, hard {Hard}")]
    private static partial void LogDescriptors(ILogger logger, long before, long soft, long hard);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Open-file limit unknown on this system: left as it is, connections not limited by default")]
    private static partial void LogNoDescriptors(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Limits: {MaxConnections} connections ({PerClient} per client), {BlockingQueries} blocking queries ({BlockingPerClient} per client), {Subscribers} event subscribers ({SubscribersPerClient} per client, backlog {Backlog} events, {EventBytes} for all streams)")]
    private static partial void LogLimits(ILogger logger, string maxConnections, int perClient, int blockingQueries, int blockingPerClient, int subscribers, int subscribersPerClient, int backlog, string eventBytes);
}

using Microsoft.Extensions.Logging;

namespace Switchboard.Server.Consul;

internal sealed partial class ConsulAgentEndpoints
{
    private static partial class Log
    {
        [LoggerMessage(31, LogLevel.Debug, "Consul API registered {InstanceId} of {ServiceName} (new: {Created})", EventName = "ConsulServiceRegistered")]
        public static partial void Registered(ILogger logger, string instanceId, string serviceName, bool created);

        [LoggerMessage(32, LogLevel.Debug, "Consul API deregistered {InstanceId}", EventName = "ConsulServiceDeregistered")]
        public static partial void Deregistered(ILogger logger, string instanceId);

        [LoggerMessage(33, LogLevel.Warning, "Service {InstanceId}: {Adjustment}", EventName = "ConsulCheckAdjusted")]
        public static partial void Adjusted(ILogger logger, string instanceId, string adjustment);
    }
}

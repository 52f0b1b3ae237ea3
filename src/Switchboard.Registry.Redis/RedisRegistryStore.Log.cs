using Microsoft.Extensions.Logging;

namespace Switchboard.Registry.Redis;

public sealed partial class RedisRegistryStore
{
    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Warning, "Skipped Redis key {Key}: {Reason}", EventName = "RedisKeySkipped")]
        public static partial void SkippedKey(ILogger logger, string key, string reason);

        [LoggerMessage(101, LogLevel.Warning, "{Count} keys under {Prefix} are not the registry's; they are ignored", EventName = "RedisForeignKeys")]
        public static partial void ManyForeignKeys(ILogger logger, int count, string prefix);

        [LoggerMessage(102, LogLevel.Warning, "Could not list the keys of the namespace: {Reason}", EventName = "RedisAuditFailed")]
        public static partial void AuditFailed(ILogger logger, string reason);

        [LoggerMessage(103, LogLevel.Warning, "Skipped a message on {Channel} that is not a Switchboard change: {Payload}", EventName = "RedisMessageSkipped")]
        public static partial void SkippedMessage(ILogger logger, string channel, string payload);

        [LoggerMessage(104, LogLevel.Warning, "Redis is unreachable ({Reason}); hybrid mode: {Hybrid}. Expiry and checks pause on this node", EventName = "RedisOffline")]
        public static partial void WentOffline(ILogger logger, string reason, bool hybrid);

        [LoggerMessage(105, LogLevel.Warning, "Started degraded: {Reason}. Serving from memory until Redis can be reached", EventName = "RedisStartedDegraded")]
        public static partial void StartedDegraded(ILogger logger, string reason);

        [LoggerMessage(106, LogLevel.Information, "Redis is back; nothing expires for the next {Seconds} s while nodes write back", EventName = "RedisBack")]
        public static partial void CameBack(ILogger logger, double seconds);

        [LoggerMessage(107, LogLevel.Information, "Wrote back {Count} changes made while Redis was unreachable", EventName = "RedisWroteBack")]
        public static partial void WroteBack(ILogger logger, int count);

        [LoggerMessage(108, LogLevel.Information, "Reconciled {Count} instances with Redis at index {Index} ({Reason})", EventName = "RedisReconciled")]
        public static partial void Reconciled(ILogger logger, int count, long index, string reason);

        [LoggerMessage(109, LogLevel.Debug, "Redis refused the {Type} of {InstanceId}: {Reason}", EventName = "RedisWriteRefused")]
        public static partial void Refused(ILogger logger, string type, string instanceId, string reason);

        [LoggerMessage(110, LogLevel.Error, "Redis failed the change of {InstanceId}: {Reason}", EventName = "RedisWriteFailed")]
        public static partial void WriteRefused(ILogger logger, string instanceId, string reason);

        [LoggerMessage(111, LogLevel.Information, "Node {Node} leads expiry and checks: {Leads}", EventName = "RedisLeadership")]
        public static partial void Leadership(ILogger logger, string node, bool leads);

        [LoggerMessage(112, LogLevel.Warning, "The leader tick failed: {Reason}", EventName = "RedisTickFailed")]
        public static partial void TickFailed(ILogger logger, string reason);

        [LoggerMessage(113, LogLevel.Error, "Applying a change from Redis failed", EventName = "RedisInboundFailed")]
        public static partial void InboundFailed(ILogger logger, Exception exception);

        [LoggerMessage(114, LogLevel.Warning, "Stopped with {Count} changes not written back to Redis", EventName = "RedisUnsent")]
        public static partial void Unsent(ILogger logger, int count);
    }
}

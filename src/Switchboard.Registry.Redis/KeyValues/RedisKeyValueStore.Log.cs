using Microsoft.Extensions.Logging;

namespace Switchboard.Registry.Redis.KeyValues;

public sealed partial class RedisKeyValueStore
{
    private static partial class Log
    {
        [LoggerMessage(120, LogLevel.Warning, "Key/value store started empty: {Reason}. Writes are refused until Redis can be reached", EventName = "RedisKvStartedEmpty")]
        public static partial void StartedEmpty(ILogger logger, string reason);

        [LoggerMessage(121, LogLevel.Warning, "Cannot write key {Key} to Redis: {Reason}", EventName = "RedisKvWriteFailed")]
        public static partial void WriteFailed(ILogger logger, string key, string reason);

        [LoggerMessage(122, LogLevel.Warning, "Cannot read the key/value store from Redis: {Reason}; trying again", EventName = "RedisKvReloadFailed")]
        public static partial void ReloadFailed(ILogger logger, string reason);

        [LoggerMessage(123, LogLevel.Warning, "Skipped a message on {Channel} that is not a key/value change; reading everything again", EventName = "RedisKvMessageSkipped")]
        public static partial void SkippedMessage(ILogger logger, string channel);

        [LoggerMessage(124, LogLevel.Information, "Key/value change messages missed (applied up to {Last}, next follows {Before}); reading everything again", EventName = "RedisKvGap")]
        public static partial void Gap(ILogger logger, long last, long before);

        [LoggerMessage(125, LogLevel.Warning, "Skipped key/value entry {Key}: its metadata or value is missing or unreadable", EventName = "RedisKvEntrySkipped")]
        public static partial void SkippedEntry(ILogger logger, string key);

        [LoggerMessage(126, LogLevel.Debug, "Read {Count} key/value entries from Redis at index {Index}", EventName = "RedisKvReloaded")]
        public static partial void Reloaded(ILogger logger, int count, long index);

        [LoggerMessage(127, LogLevel.Warning, "The change message of this node's own key/value write {Index} did not come back in time; shown directly, reading everything again", EventName = "RedisKvOwnMessageLate")]
        public static partial void OwnMessageLate(ILogger logger, long index);
    }
}

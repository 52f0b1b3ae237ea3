using Microsoft.Extensions.Logging;

namespace Switchboard.Registry.Acl;

public sealed partial class AclService
{
    // Accessor ids only: a secret is never logged.
    private static partial class Log
    {
        [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "ACL bootstrap: management token {AccessorId} created")]
        public static partial void Bootstrapped(ILogger logger, string accessorId);

        [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "ACL token {AccessorId} created")]
        public static partial void TokenCreated(ILogger logger, string accessorId);

        [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "ACL token {AccessorId} deleted")]
        public static partial void TokenDeleted(ILogger logger, string accessorId);

        [LoggerMessage(EventId = 53, Level = LogLevel.Debug, Message = "ACL state version {Version} loaded")]
        public static partial void Reloaded(ILogger logger, long version);

        [LoggerMessage(EventId = 54, Level = LogLevel.Warning, Message = "The ACL state cannot be loaded yet ({Reason}); retrying. Until it loads, requests with a token are refused as ACL not found")]
        public static partial void LoadDeferred(ILogger logger, string reason);

        [LoggerMessage(EventId = 55, Level = LogLevel.Information, Message = "ACL state version {Version} loaded after the store came back")]
        public static partial void Loaded(ILogger logger, long version);

        [LoggerMessage(EventId = 56, Level = LogLevel.Warning, Message = "Reloading the ACL state after another node's change failed")]
        public static partial void ReloadFailed(ILogger logger, Exception exception);
    }
}

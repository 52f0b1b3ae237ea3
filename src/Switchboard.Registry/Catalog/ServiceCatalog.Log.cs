using Microsoft.Extensions.Logging;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Loaded {Count} instances at index {Index} from the {Store} store", EventName = "CatalogLoaded")]
        public static partial void Loaded(ILogger logger, int count, long index, string store);

        [LoggerMessage(2, LogLevel.Debug, "Registered {InstanceId} of {ServiceName} at index {Index}", EventName = "InstanceRegistered")]
        public static partial void Registered(ILogger logger, string instanceId, string serviceName, long index);

        [LoggerMessage(3, LogLevel.Debug, "Updated {InstanceId} of {ServiceName} at index {Index}", EventName = "InstanceUpdated")]
        public static partial void Updated(ILogger logger, string instanceId, string serviceName, long index);

        [LoggerMessage(4, LogLevel.Debug, "Removed {InstanceId} of {ServiceName}: {Reason}", EventName = "InstanceRemoved")]
        public static partial void Removed(ILogger logger, string instanceId, string serviceName, string reason);

        [LoggerMessage(5, LogLevel.Debug, "{InstanceId} of {ServiceName} is now {Status} (was {Previous}): {Output}", EventName = "InstanceStatusChanged")]
        public static partial void StatusChanged(ILogger logger, string instanceId, string serviceName, string previous, string status, string output);

        [LoggerMessage(6, LogLevel.Debug, "Applied {Type} of {InstanceId} at index {Index} from the shared store", EventName = "ChangeReplicated")]
        public static partial void Replicated(ILogger logger, string type, string instanceId, long index);

        [LoggerMessage(7, LogLevel.Warning, "The {Type} of {InstanceId} at index {Index} was not saved and is rolled back: {Reason}", EventName = "ChangeRolledBack")]
        public static partial void RolledBack(ILogger logger, string type, string instanceId, long index, string reason);

        [LoggerMessage(8, LogLevel.Information, "{InstanceId} of {ServiceName}: maintenance {Enabled}: {Reason}", EventName = "InstanceMaintenance")]
        public static partial void Maintenance(ILogger logger, string instanceId, string serviceName, bool enabled, string reason);
    }
}

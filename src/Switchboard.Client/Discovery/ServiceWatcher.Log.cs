using Microsoft.Extensions.Logging;

namespace Switchboard.Client.Discovery;

internal sealed partial class ServiceWatcher
{
    [LoggerMessage(1200, LogLevel.Warning, "Watch of {Service}: the registry is unreachable ({Reason}); serving from cache: {HasCache}. Retrying with backoff.", EventName = "RegistryDown")]
    private static partial void LogRegistryDown(ILogger logger, string service, string reason, bool hasCache);

    [LoggerMessage(1201, LogLevel.Information, "Watch of {Service}: registry {Registry} answers again.", EventName = "RegistryBack")]
    private static partial void LogRegistryBack(ILogger logger, string service, Uri registry);

    [LoggerMessage(1202, LogLevel.Information, "Service {Service} now resolves from {Source}: {Count} instance(s) ({Tried}).", EventName = "SourceChanged")]
    private static partial void LogSource(ILogger logger, string service, DiscoverySource source, int count, string tried);

    [LoggerMessage(1203, LogLevel.Debug, "Service {Service} updated: {Count} instance(s), {Healthy} healthy, index {Index}.", EventName = "ServiceUpdated")]
    private static partial void LogUpdated(ILogger logger, string service, int count, int healthy, long index);

    [LoggerMessage(1204, LogLevel.Information, "Watch of {Service}: the registry's index went back from {Old} to {New} (registry restarted); reloading.", EventName = "IndexReset")]
    private static partial void LogIndexReset(ILogger logger, string service, long old, long @new);

    [LoggerMessage(1205, LogLevel.Error, "Watch of {Service} stopped unexpectedly.", EventName = "WatchCrashed")]
    private static partial void LogWatchCrashed(ILogger logger, Exception exception, string service);
}

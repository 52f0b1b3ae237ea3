using Microsoft.Extensions.Logging;

namespace Switchboard.Client.SelfRegistration;

internal sealed partial class SelfRegistrationService
{
    [LoggerMessage(1400, LogLevel.Information, "Registered {Service} as {InstanceId} at {Host}:{Port} with registry {Registry}.", EventName = "Registered")]
    private static partial void LogRegistered(ILogger logger, string service, string instanceId, string host, int port, Uri? registry);

    [LoggerMessage(1401, LogLevel.Warning, "The registry no longer knows instance {InstanceId} (registry restarted or lease expired); registering again.", EventName = "InstanceUnknown")]
    private static partial void LogUnknownInstance(ILogger logger, string instanceId);

    [LoggerMessage(1402, LogLevel.Warning, "Self-registration: no registry answers ({Error}); retrying with backoff. The application keeps running.", EventName = "RegistryUnreachable")]
    private static partial void LogUnreachable(ILogger logger, string? error);

    [LoggerMessage(1403, LogLevel.Error, "Self-registration was rejected: {Error}", EventName = "RegistrationRejected")]
    private static partial void LogRejected(ILogger logger, string? error);

    [LoggerMessage(1404, LogLevel.Information, "Self-registration recovered: instance {InstanceId} is registered again.", EventName = "RegistrationRecovered")]
    private static partial void LogRecovered(ILogger logger, string? instanceId);

    [LoggerMessage(1405, LogLevel.Information, "Deregistered instance {InstanceId}.", EventName = "Deregistered")]
    private static partial void LogDeregistered(ILogger logger, string instanceId);

    [LoggerMessage(1406, LogLevel.Warning, "Could not deregister instance {InstanceId} on shutdown ({Error}); its lease will expire.", EventName = "DeregisterFailed")]
    private static partial void LogDeregisterFailed(ILogger logger, string instanceId, string error);
}

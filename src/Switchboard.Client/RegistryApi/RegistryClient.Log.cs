using Microsoft.Extensions.Logging;

namespace Switchboard.Client.RegistryApi;

internal sealed partial class RegistryClient
{
    [LoggerMessage(1100, LogLevel.Warning, "Registry {Previous} did not answer; failed over to {Current}.", EventName = "RegistryFailover")]
    private static partial void LogFailover(ILogger logger, Uri previous, Uri current);
}

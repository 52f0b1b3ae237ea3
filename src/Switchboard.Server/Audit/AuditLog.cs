using Microsoft.Extensions.Logging;

namespace Switchboard.Server.Audit;

/// <summary>The audit event: one structured Information event per write, in the <see cref="Category"/> logger category.</summary>
internal static partial class AuditLog
{
    /// <summary>The logger category of audit events (route it with <c>Logging:LogLevel:Switchboard.Audit</c>).</summary>
    public const string Category = "Switchboard.Audit";

    [LoggerMessage(EventId = 1, EventName = "Write", Level = LogLevel.Information,
        Message = "write {Operation} target={Target} accessor={AccessorId} client={ClientAddress} status={StatusCode} ({Method} {Route})")]
    public static partial void Write(ILogger logger, string operation, string target, string accessorId, string clientAddress, int statusCode, string method, string route);
}

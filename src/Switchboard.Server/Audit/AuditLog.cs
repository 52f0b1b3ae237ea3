using Microsoft.Extensions.Logging;

namespace Switchboard.Server.Audit;

/// <summary>
/// The audit event: one structured event per write, in the <see cref="Category"/> logger category: Information, except a
/// lease renewal that succeeded, which is Debug (<see cref="Renewal"/>).
/// </summary>
internal static partial class AuditLog
{
    /// <summary>The logger category of audit events (route it with <c>Logging:LogLevel:Switchboard.Audit</c>).</summary>
    public const string Category = "Switchboard.Audit";

    [LoggerMessage(EventId = 1, EventName = "Write", Level = LogLevel.Information,
        Message = "write {Operation} target={Target} accessor={AccessorId} client={ClientAddress} status={StatusCode} ({Method} {Route})")]
    public static partial void Write(ILogger logger, string operation, string target, string accessorId, string clientAddress, int statusCode, string method, string route);

    /// <summary>
    /// A heartbeat that renewed its lease: the same fields as <see cref="Write"/>, at Debug. A renewal changes no registration,
    /// and at Information it was most of the log (10,000 instances heartbeating every 10 s write 1,000 lines a second) and
    /// most of a heartbeat's cost (the agent answers 1.3x the heartbeats without it, 1.4x on Redis: docs/benchmarks.md). Refused or
    /// failed heartbeats stay at Information with the other writes.
    /// </summary>
    [LoggerMessage(EventId = 2, EventName = "Renewal", Level = LogLevel.Debug,
        Message = "write {Operation} target={Target} accessor={AccessorId} client={ClientAddress} status={StatusCode} ({Method} {Route})")]
    public static partial void Renewal(ILogger logger, string operation, string target, string accessorId, string clientAddress, int statusCode, string method, string route);
}

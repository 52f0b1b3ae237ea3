namespace Switchboard.Samples.Irrigation.Contracts;

/// <summary>Every gate's state (SCADA <c>gates/status</c>).</summary>
/// <param name="EmergencyStopActive">True while an emergency stop is latched: every gate closed, commands refused.</param>
/// <param name="Gates">The gates.</param>
public sealed record GateStatusSet(bool EmergencyStopActive, IReadOnlyList<GateStatus> Gates);

/// <summary>One gate's state.</summary>
/// <param name="GateId">The gate.</param>
/// <param name="Opening">Opening, 0 (closed) to 1 (fully open).</param>
/// <param name="Mode"><c>auto</c> (accepts commands) or <c>locked</c> (emergency stop).</param>
/// <param name="UpdatedAt">When it last moved.</param>
public sealed record GateStatus(string GateId, double Opening, string Mode, DateTimeOffset UpdatedAt);

/// <summary>A command for one gate (SCADA <c>gates/{id}/control</c>).</summary>
/// <param name="TargetOpening">0 to 1.</param>
public sealed record GateControlRequest(double? TargetOpening);

/// <summary>One gate command of a batch.</summary>
/// <param name="GateId">The gate.</param>
/// <param name="TargetOpening">0 to 1.</param>
public sealed record GateCommand(string? GateId, double? TargetOpening);

/// <summary>The body of SCADA <c>gates/batch-control</c>.</summary>
/// <param name="Commands">The commands; each is accepted or rejected on its own.</param>
public sealed record BatchControlRequest(IReadOnlyList<GateCommand>? Commands);

/// <summary>What SCADA did with one command.</summary>
/// <param name="GateId">The gate.</param>
/// <param name="Status"><c>accepted</c> or <c>rejected</c>.</param>
/// <param name="PreviousOpening">The opening before the command.</param>
/// <param name="Opening">The opening now.</param>
/// <param name="Error">Why it was rejected.</param>
public sealed record GateCommandResult(string GateId, string Status, double? PreviousOpening, double? Opening, string? Error);

/// <summary>The answer to a batch.</summary>
/// <param name="Accepted">Commands carried out.</param>
/// <param name="Rejected">Commands refused.</param>
/// <param name="Results">One per command, in order.</param>
public sealed record BatchControlResult(int Accepted, int Rejected, IReadOnlyList<GateCommandResult> Results);

/// <summary>The state of the emergency stop.</summary>
/// <param name="Active">Whether the stop is latched.</param>
/// <param name="GatesClosed">Gates closed by the stop.</param>
/// <param name="Reason">The reason given.</param>
/// <param name="At">When it changed.</param>
public sealed record EmergencyStopState(bool Active, int GatesClosed, string? Reason, DateTimeOffset At);

/// <summary>The body of SCADA and optimizer emergency stops.</summary>
/// <param name="Reason">Why (logged and echoed).</param>
public sealed record EmergencyStopRequest(string? Reason);

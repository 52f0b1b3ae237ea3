namespace Switchboard.Samples.Irrigation.Scada;

/// <summary>The values of <c>GateCommandResult.Status</c>.</summary>
internal static class GateCommandStatus
{
    /// <summary>The gate moved to the target.</summary>
    public const string Accepted = "accepted";

    /// <summary>The command was refused; the gate did not move.</summary>
    public const string Rejected = "rejected";
}

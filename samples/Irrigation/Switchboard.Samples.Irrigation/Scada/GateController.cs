using Switchboard.Samples.Irrigation.Contracts;
using Switchboard.Samples.Irrigation.Network;

namespace Switchboard.Samples.Irrigation.Scada;

/// <summary>
/// The simulated PLC link: the 20 gates' openings (the actuators reach a commanded opening at once), and the emergency
/// stop latch that closes every gate and refuses commands until reset. Commands outside 0..1 are refused, never clamped.
/// </summary>
internal sealed class GateController(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, GateStatus> _gates = IrrigationNetwork.Gates.ToDictionary(
        g => g.GateId,
        g => new GateStatus(g.GateId, g.Kind == "turnout" ? 0.25 : 0.4, "auto", time.GetUtcNow()));

    private EmergencyStopState _stop = new(false, 0, null, time.GetUtcNow());

    /// <summary>Whether an emergency stop is latched.</summary>
    public bool EmergencyStopActive
    {
        get
        {
            lock (_lock)
                return _stop.Active;
        }
    }

    /// <summary>Every gate, in id order.</summary>
    public GateStatusSet Snapshot()
    {
        lock (_lock)
            return new GateStatusSet(_stop.Active, [.. _gates.Values.OrderBy(g => g.GateId, StringComparer.Ordinal)]);
    }

    /// <summary>One gate, or null when unknown.</summary>
    public GateStatus? Find(string gateId)
    {
        lock (_lock)
            return _gates.GetValueOrDefault(gateId);
    }

    /// <summary>Carries out one command, or refuses it with the reason.</summary>
    public GateCommandResult Command(string? gateId, double? target)
    {
        lock (_lock)
        {
            if (string.IsNullOrWhiteSpace(gateId) || !_gates.TryGetValue(gateId, out var gate))
                return Rejected(gateId ?? "", null, $"unknown gate '{gateId}'; known gates are G-01 to G-20.");
            if (target is not { } opening)
                return Rejected(gateId, gate.Opening, "target_opening is required.");
            if (!double.IsFinite(opening) || opening is < 0 or > 1)
                return Rejected(gateId, gate.Opening, OutOfRange(opening));
            if (_stop.Active)
                return Rejected(gateId, gate.Opening, "emergency stop is active: gate commands are refused until POST /api/v1/scada/emergency-stop/reset.");
            _gates[gateId] = gate with { Opening = Math.Round(opening, 4), UpdatedAt = time.GetUtcNow() };
            return new GateCommandResult(gateId, GateCommandStatus.Accepted, gate.Opening, _gates[gateId].Opening, null);
        }
    }

    /// <summary>Closes every gate and latches the stop.</summary>
    public EmergencyStopState EmergencyStop(string? reason)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var closed = _gates.Values.Count(g => g.Opening > 0);
            foreach (var id in _gates.Keys.ToArray())
                _gates[id] = _gates[id] with { Opening = 0, Mode = "locked", UpdatedAt = now };
            _stop = new EmergencyStopState(true, _stop.Active ? _stop.GatesClosed : closed, reason ?? _stop.Reason, _stop.Active ? _stop.At : now);
            return _stop;
        }
    }

    /// <summary>Releases the latch; gates stay closed until commanded.</summary>
    public EmergencyStopState Reset()
    {
        lock (_lock)
        {
            foreach (var id in _gates.Keys.ToArray())
                _gates[id] = _gates[id] with { Mode = "auto" };
            _stop = new EmergencyStopState(false, 0, null, time.GetUtcNow());
            return _stop;
        }
    }

    /// <summary>The error for an opening outside 0..1.</summary>
    public static string OutOfRange(double opening) =>
        $"target_opening must be between 0 (closed) and 1 (fully open); got {opening.ToString(System.Globalization.CultureInfo.InvariantCulture)}. The command was refused and the gate did not move.";

    private static GateCommandResult Rejected(string gateId, double? opening, string error) => new(gateId, GateCommandStatus.Rejected, opening, opening, error);
}

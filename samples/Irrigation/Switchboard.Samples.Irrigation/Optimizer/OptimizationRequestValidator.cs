using System.Globalization;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>Checks an <see cref="OptimizationRequest"/>; every error is keyed by the wire name of the field.</summary>
internal static class OptimizationRequestValidator
{
    /// <summary>The zones the optimizer serves (seed 000 metadata: zones = 6).</summary>
    public static IReadOnlyList<string> KnownZones { get; } = [.. Enumerable.Range(1, 6).Select(i => $"zone-{i}")];

    /// <summary>The longest window.</summary>
    public const double MaxHorizonHours = 72;

    /// <summary>Validates <paramref name="request"/>.</summary>
    /// <param name="request">The request (null when the body was empty or <c>null</c>).</param>
    /// <param name="errors">The errors by field, when invalid.</param>
    /// <returns>The valid request, or null.</returns>
    public static ValidOptimization? Validate(OptimizationRequest? request, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (request is null)
        {
            errors["body"] = ["A JSON object is required, e.g. {\"zones\":[\"zone-1\"],\"horizon_hours\":6}."];
            return null;
        }

        var zones = ValidateZones(request.Zones, errors);
        if (request.HorizonHours is not { } horizon)
            errors["horizon_hours"] = ["horizon_hours is required: the delivery window in hours."];
        else if (!double.IsFinite(horizon) || horizon <= 0 || horizon > MaxHorizonHours)
            errors["horizon_hours"] = [$"horizon_hours must be above 0 and at most {MaxHorizonHours} (got {Format(horizon)})."];

        foreach (var (zone, volume) in request.TargetVolumesM3 ?? new Dictionary<string, double>())
        {
            var field = $"target_volumes_m3.{zone}";
            if (!zones.Contains(zone))
                errors[field] = [$"{zone} is not one of the requested zones ({string.Join(", ", zones)})."];
            else if (!double.IsFinite(volume) || volume < 0)
                errors[field] = [$"The volume for {zone} must not be negative (got {Format(volume)} m³)."];
        }

        foreach (var (gate, opening) in request.GateOverrides ?? new Dictionary<string, double>())
        {
            if (string.IsNullOrWhiteSpace(gate))
                errors["gate_overrides"] = ["Gate ids must not be empty."];
            else if (!double.IsFinite(opening))
                errors[$"gate_overrides.{gate}"] = ["The opening must be a finite number."];
        }

        if (errors.Count > 0)
            return null;
        return new ValidOptimization(
            zones,
            request.HorizonHours!.Value,
            request.TargetVolumesM3 ?? new Dictionary<string, double>(),
            request.GateOverrides ?? new Dictionary<string, double>(),
            request.RefreshTopology ?? false);
    }

    private static List<string> ValidateZones(IReadOnlyList<string?>? zones, Dictionary<string, string[]> errors)
    {
        var valid = new List<string>();
        if (zones is null)
        {
            errors["zones"] = ["zones is required: the zone ids to irrigate, e.g. [\"zone-1\", \"zone-2\"]."];
            return valid;
        }
        if (zones.Count == 0)
            errors["zones"] = ["zones must name at least one zone."];
        for (var i = 0; i < zones.Count; i++)
        {
            var zone = zones[i];
            if (zone is null || !KnownZones.Contains(zone))
                errors[$"zones[{i}]"] = [$"Unknown zone '{zone}'; the known zones are {string.Join(", ", KnownZones)}."];
            else if (valid.Contains(zone))
                errors[$"zones[{i}]"] = [$"Zone '{zone}' is listed twice."];
            else
                valid.Add(zone);
        }
        return valid;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Text.Json;

namespace Switchboard.Samples.Irrigation.Optimizer;

/// <summary>Turns a <see cref="JsonException"/> from reading an <see cref="OptimizationRequest"/> into a field name and a readable message.</summary>
internal static class RequestJsonErrors
{
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["zones"] = "an array of zone ids, e.g. [\"zone-1\"]",
        ["horizon_hours"] = "a number of hours",
        ["target_volumes_m3"] = "an object of zone id to volume in m³, e.g. {\"zone-1\": 12000}",
        ["gate_overrides"] = "an object of gate id to opening, e.g. {\"G-03\": 0.5}",
        ["refresh_topology"] = "true or false",
    };

    /// <summary>The field at fault (<c>body</c> when it is the whole body) and what is wrong with it.</summary>
    public static (string Field, string Message) Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var field = exception.Path is null or "$" ? "body" : exception.Path.TrimStart('$', '.');
        var root = field.Split('[', '.')[0];
        if (field == "body")
        {
            return (field, exception.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal)
                ? "A JSON object is required, e.g. {\"zones\":[\"zone-1\"],\"horizon_hours\":6}."
                : $"The body is not valid JSON: {FirstSentence(exception.Message)}");
        }
        if (exception.Message.Contains("could not be mapped", StringComparison.Ordinal))
            return (field, $"'{field}' is not a field of this request; the fields are {string.Join(", ", Expected.Keys)}.");
        return (field, Expected.TryGetValue(root, out var expected)
            ? $"'{field}' has the wrong type or is malformed: {root} must be {expected}."
            : $"'{field}' is not valid JSON: {FirstSentence(exception.Message)}");
    }

    private static string FirstSentence(string message) => message.Split(" Path:")[0];
}

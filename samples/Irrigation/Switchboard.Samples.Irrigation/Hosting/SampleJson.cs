using System.Text.Json;

namespace Switchboard.Samples.Irrigation.Hosting;

/// <summary>The JSON shape every sample service speaks: snake_case properties (seed 000's Python services), numbers and strings only.</summary>
internal static class SampleJson
{
    /// <summary>Web defaults with snake_case property names; dictionary keys (zone and gate ids) are kept as they are.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies the sample's settings to <paramref name="options"/> (the ASP.NET Core options are created by the framework).</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.PropertyNameCaseInsensitive = true;
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

using System.Text.Json.Serialization;

namespace Switchboard.Registry.KeyValues;

/// <summary>The embedded key/value store's snapshot file: every entry at one index.</summary>
internal sealed record KeyValueSnapshot(int Format, long Index, IReadOnlyList<KeyValueEntry> Entries);

/// <summary>The embedded key/value store's file formats (snake_case; values in base64).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KeyValueRecord))]
[JsonSerializable(typeof(KeyValueSnapshot))]
internal sealed partial class KeyValueJsonContext : JsonSerializerContext;

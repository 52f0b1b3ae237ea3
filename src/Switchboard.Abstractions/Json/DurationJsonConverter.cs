using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Json;

/// <summary>Reads a duration from a number of seconds or a Go-style string; writes a Go-style string.</summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    /// <inheritdoc />
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetDouble(out var seconds) && Durations.TryFromSeconds(seconds, out var fromNumber))
                return fromNumber;
        }
        else if (reader.TokenType == JsonTokenType.String && Durations.TryParse(reader.GetString(), out var parsed))
        {
            return parsed;
        }
        throw new JsonException("must be a duration: a number of seconds or a string such as \"10s\", \"1m30s\" or \"500ms\".");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
        => writer.WriteStringValue(Durations.Format(value));
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Instances;

namespace Switchboard.Json;

/// <summary>Writes <see cref="HealthStatus"/> as <c>passing</c>/<c>warning</c>/<c>critical</c>; also reads <c>healthy</c>/<c>unhealthy</c>.</summary>
public sealed class HealthStatusJsonConverter : JsonConverter<HealthStatus>
{
    /// <inheritdoc />
    public override HealthStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && HealthStatusNames.TryParse(reader.GetString(), out var status))
            return status;
        throw new JsonException("must be one of passing, warning, critical.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, HealthStatus value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.ToWireName());
}

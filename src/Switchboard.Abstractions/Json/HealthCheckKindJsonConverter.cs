using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Registration;

namespace Switchboard.Json;

/// <summary>Writes <see cref="HealthCheckKind"/> as <c>none</c>/<c>http</c>/<c>tcp</c>/<c>ttl</c>, read case-insensitively.</summary>
public sealed class HealthCheckKindJsonConverter : JsonConverter<HealthCheckKind>
{
    /// <inheritdoc />
    public override HealthCheckKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            switch (reader.GetString()?.ToLowerInvariant())
            {
                case "none": return HealthCheckKind.None;
                case "http": return HealthCheckKind.Http;
                case "tcp": return HealthCheckKind.Tcp;
                case "ttl": return HealthCheckKind.Ttl;
            }
        }
        throw new JsonException("must be one of none, http, tcp, ttl.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, HealthCheckKind value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.ToString().ToLowerInvariant());
}

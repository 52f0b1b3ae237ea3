using System.Text.Json.Serialization;

namespace Switchboard.Registry.Acl;

/// <summary>The stored form of the ACL state (snake_case, as the rest of the data directory). Public so the Redis store shares it.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AclState))]
internal sealed partial class AclJsonContext : JsonSerializerContext;

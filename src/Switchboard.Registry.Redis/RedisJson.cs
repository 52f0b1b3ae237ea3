using System.Text.Json.Serialization;
using Switchboard.Instances;
using Switchboard.Json;

namespace Switchboard.Registry.Redis;

/// <summary>A change as published on the namespace's channel by the write scripts.</summary>
/// <param name="Index">The change's global index.</param>
/// <param name="Before">The global index just before it: a receiver that saw another index last missed a message.</param>
/// <param name="CreateIndex">The instance's create index (puts).</param>
/// <param name="Provisional">The index the writing node gave the change.</param>
/// <param name="Node">The writing node.</param>
/// <param name="Type">The event type, or <c>sync</c> for an index claimed by a reconciliation.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="ServiceName">Its service.</param>
/// <param name="Record">The instance after a put; null for a removal.</param>
internal sealed record ChangeMessage(
    [property: JsonPropertyName("i")] long Index,
    [property: JsonPropertyName("b")] long Before,
    [property: JsonPropertyName("c")] long CreateIndex,
    [property: JsonPropertyName("p")] long Provisional,
    [property: JsonPropertyName("n")] string? Node,
    [property: JsonPropertyName("t")] string? Type,
    [property: JsonPropertyName("id")] string? InstanceId,
    [property: JsonPropertyName("s")] string? ServiceName,
    [property: JsonPropertyName("r")] ServiceInstance? Record)
{
    public const string SyncType = "sync";
}

/// <summary>The JSON of stored records and change messages: the native API's shapes and converters.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 32,
    Converters = [typeof(DurationJsonConverter), typeof(HealthStatusJsonConverter), typeof(HealthCheckKindJsonConverter)])]
[JsonSerializable(typeof(ServiceInstance))]
[JsonSerializable(typeof(ChangeMessage))]
internal sealed partial class RedisJsonContext : JsonSerializerContext;

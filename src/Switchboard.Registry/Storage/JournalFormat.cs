using System.Text.Json.Serialization;
using Switchboard.Instances;
using Switchboard.Json;

namespace Switchboard.Registry.Storage;

/// <summary>One line of the journal: a put (<c>put</c>) or a removal (<c>del</c>) at index <c>i</c>.</summary>
internal sealed record JournalRecord(long I, ServiceInstance? Put, string? Del);

/// <summary>The snapshot file: every instance at one index.</summary>
internal sealed record SnapshotFile(int Format, long Index, IReadOnlyList<ServiceInstance> Instances);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(DurationJsonConverter), typeof(HealthStatusJsonConverter), typeof(HealthCheckKindJsonConverter)])]
[JsonSerializable(typeof(JournalRecord))]
[JsonSerializable(typeof(SnapshotFile))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;

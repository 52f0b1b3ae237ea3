using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Json;

/// <summary>The source-generated JSON contract of the native API: snake_case names, Go-style durations, status names as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    MaxDepth = 16,
    Converters = [typeof(DurationJsonConverter), typeof(HealthStatusJsonConverter), typeof(HealthCheckKindJsonConverter)])]
[JsonSerializable(typeof(ServiceRegistration))]
[JsonSerializable(typeof(ServiceInstance))]
[JsonSerializable(typeof(IReadOnlyList<ServiceInstance>))]
[JsonSerializable(typeof(ServiceInstance[]))]
[JsonSerializable(typeof(RegisterResponse))]
[JsonSerializable(typeof(DiscoverResponse))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(MaintenanceRequest))]
[JsonSerializable(typeof(ServiceList))]
[JsonSerializable(typeof(AggregatedHealth))]
[JsonSerializable(typeof(RegistryHealth))]
[JsonSerializable(typeof(CatalogEvent))]
[JsonSerializable(typeof(InstanceDetails))]
[JsonSerializable(typeof(KeyValueResponse))]
[JsonSerializable(typeof(IReadOnlyList<KeyValueResponse>))]
[JsonSerializable(typeof(KeyValueWriteResponse))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
public sealed partial class SwitchboardJsonContext : JsonSerializerContext;

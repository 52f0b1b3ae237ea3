using System.Text.Json.Serialization;

namespace Switchboard.Server.Consul;

// The JSON shapes Consul's HTTP API answers with (hashicorp/consul api-docs, agent/structs): property names as
// Consul spells them; lists and maps are empty, never null.

/// <summary>Consul's <c>Weights</c>: the DNS SRV weights of a passing and of a warning instance.</summary>
internal sealed record ConsulWeights(int Passing, int Warning);

/// <summary>One entry of a service's <c>TaggedAddresses</c>.</summary>
internal sealed record ConsulServiceAddress(string Address, int Port);

/// <summary>An object Consul serializes with no fields set: <c>{}</c>.</summary>
internal sealed record ConsulEmpty;

/// <summary>A service as <c>GET /v1/agent/services</c> shows it (<c>api.AgentService</c>).</summary>
internal sealed record ConsulAgentService
{
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    public required string Service { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required IReadOnlyDictionary<string, string> Meta { get; init; }

    public required int Port { get; init; }

    public required string Address { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, ConsulServiceAddress>? TaggedAddresses { get; init; }

    public required ConsulWeights Weights { get; init; }

    public required bool EnableTagOverride { get; init; }

    public required string Datacenter { get; init; }
}

/// <summary>A service as the health endpoints show it inside an entry (<c>structs.NodeService</c>).</summary>
internal sealed record ConsulNodeService
{
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    public required string Service { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public required string Address { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, ConsulServiceAddress>? TaggedAddresses { get; init; }

    public required IReadOnlyDictionary<string, string> Meta { get; init; }

    public required int Port { get; init; }

    public required ConsulWeights Weights { get; init; }

    public required bool EnableTagOverride { get; init; }

    public required long CreateIndex { get; init; }

    public required long ModifyIndex { get; init; }
}

/// <summary>How a check runs (<c>structs.HealthCheckDefinition</c>); durations as Go formats them.</summary>
internal sealed record ConsulCheckDefinition
{
    public required string Interval { get; init; }

    public required string Timeout { get; init; }

    public required string DeregisterCriticalServiceAfter { get; init; }

    [JsonPropertyName("HTTP")]
    public required string Http { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Header { get; init; }

    public required string Method { get; init; }

    public required string Body { get; init; }

    [JsonPropertyName("TLSServerName")]
    public required string TlsServerName { get; init; }

    [JsonPropertyName("TLSSkipVerify")]
    public required bool TlsSkipVerify { get; init; }

    [JsonPropertyName("TCP")]
    public required string Tcp { get; init; }
}

/// <summary>A health check with its state (<c>structs.HealthCheck</c>), as the agent and health endpoints show it.</summary>
internal sealed record ConsulHealthCheck
{
    public required string Node { get; init; }

    [JsonPropertyName("CheckID")]
    public required string CheckId { get; init; }

    public required string Name { get; init; }

    public required string Status { get; init; }

    public required string Notes { get; init; }

    public required string Output { get; init; }

    [JsonPropertyName("ServiceID")]
    public required string ServiceId { get; init; }

    public required string ServiceName { get; init; }

    public required IReadOnlyList<string> ServiceTags { get; init; }

    public required string Type { get; init; }

    public required string Interval { get; init; }

    public required string Timeout { get; init; }

    public required int ExposedPort { get; init; }

    public required ConsulCheckDefinition Definition { get; init; }

    public required long CreateIndex { get; init; }

    public required long ModifyIndex { get; init; }
}

/// <summary>The node every instance is registered on (<c>structs.Node</c>).</summary>
internal sealed record ConsulNode
{
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    public required string Node { get; init; }

    public required string Address { get; init; }

    public required string Datacenter { get; init; }

    public required IReadOnlyDictionary<string, string> TaggedAddresses { get; init; }

    public required IReadOnlyDictionary<string, string> Meta { get; init; }

    public required long CreateIndex { get; init; }

    public required long ModifyIndex { get; init; }
}

/// <summary>One element of <c>GET /v1/health/service/:service</c> (<c>structs.CheckServiceNode</c>).</summary>
internal sealed record ConsulServiceEntry(ConsulNode Node, ConsulNodeService Service, IReadOnlyList<ConsulHealthCheck> Checks);

/// <summary>One element of <c>GET /v1/catalog/service/:service</c> (<c>structs.ServiceNode</c>).</summary>
internal sealed record ConsulCatalogService
{
    [JsonPropertyName("ID")]
    public required string Id { get; init; }

    public required string Node { get; init; }

    public required string Address { get; init; }

    public required string Datacenter { get; init; }

    public required IReadOnlyDictionary<string, string> TaggedAddresses { get; init; }

    public required IReadOnlyDictionary<string, string> NodeMeta { get; init; }

    public required string ServiceKind { get; init; }

    [JsonPropertyName("ServiceID")]
    public required string ServiceId { get; init; }

    public required string ServiceName { get; init; }

    public required IReadOnlyList<string> ServiceTags { get; init; }

    public required string ServiceAddress { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, ConsulServiceAddress>? ServiceTaggedAddresses { get; init; }

    public required ConsulWeights ServiceWeights { get; init; }

    public required IReadOnlyDictionary<string, string> ServiceMeta { get; init; }

    public required int ServicePort { get; init; }

    public required string ServiceSocketPath { get; init; }

    public required bool ServiceEnableTagOverride { get; init; }

    public required ConsulProxy ServiceProxy { get; init; }

    public required ConsulEmpty ServiceConnect { get; init; }

    public required long CreateIndex { get; init; }

    public required long ModifyIndex { get; init; }
}

/// <summary>The empty service-mesh proxy settings Consul shows for a plain service.</summary>
internal sealed record ConsulProxy(ConsulEmpty MeshGateway, ConsulEmpty Expose);

/// <summary>The answer of <c>GET /v1/agent/self</c>: enough for clients that probe the agent.</summary>
internal sealed record ConsulSelf(ConsulSelfConfig Config, ConsulMember Member, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Stats, IReadOnlyDictionary<string, string> Meta);

/// <summary>The <c>Config</c> part of <c>/v1/agent/self</c>.</summary>
internal sealed record ConsulSelfConfig
{
    public required string Datacenter { get; init; }

    public required string PrimaryDatacenter { get; init; }

    public required string NodeName { get; init; }

    [JsonPropertyName("NodeID")]
    public required string NodeId { get; init; }

    public required string Revision { get; init; }

    public required bool Server { get; init; }

    public required string Version { get; init; }
}

/// <summary>The <c>Member</c> part of <c>/v1/agent/self</c> (a Serf member).</summary>
internal sealed record ConsulMember
{
    public required string Name { get; init; }

    public required string Addr { get; init; }

    public required int Port { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public required int Status { get; init; }

    public required int ProtocolMin { get; init; }

    public required int ProtocolMax { get; init; }

    public required int ProtocolCur { get; init; }

    public required int DelegateMin { get; init; }

    public required int DelegateMax { get; init; }

    public required int DelegateCur { get; init; }
}

/// <summary>A key/value entry as <c>GET /v1/kv/:key</c> shows it (<c>api.KVPair</c> without a session): the value in base64, null when empty; indexes on Consul's scale (<see cref="ConsulIndex"/>).</summary>
internal sealed record ConsulKvEntry(long LockIndex, string Key, long Flags, byte[]? Value, long CreateIndex, long ModifyIndex);

/// <summary>The source-generated serializer of the Consul shapes: property names exactly as declared.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(SortedDictionary<string, ConsulAgentService>))]
[JsonSerializable(typeof(SortedDictionary<string, ConsulHealthCheck>))]
[JsonSerializable(typeof(SortedDictionary<string, IReadOnlyList<string>>))]
[JsonSerializable(typeof(IReadOnlyList<ConsulServiceEntry>))]
[JsonSerializable(typeof(IReadOnlyList<ConsulCatalogService>))]
[JsonSerializable(typeof(IReadOnlyList<ConsulHealthCheck>))]
[JsonSerializable(typeof(ConsulSelf))]
[JsonSerializable(typeof(IReadOnlyList<ConsulKvEntry>))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;

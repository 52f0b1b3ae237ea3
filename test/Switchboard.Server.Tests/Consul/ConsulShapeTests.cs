using System.Text.Json;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.Consul;

/// <summary>
/// The JSON shapes against Consul's documented examples (api-docs agent/service, agent/check, catalog, health, status),
/// registering the documented sample payload. Enterprise-only fields (Namespace, Partition) are not expected.
/// </summary>
public sealed class ConsulShapeTests
{
    private static readonly string[] NodeKeys = ["Address", "CreateIndex", "Datacenter", "ID", "Meta", "ModifyIndex", "Node", "TaggedAddresses"];
    private static readonly string[] CheckKeys = ["CheckID", "CreateIndex", "Definition", "ExposedPort", "Interval", "ModifyIndex", "Name", "Node", "Notes", "Output", "ServiceID", "ServiceName", "ServiceTags", "Status", "Timeout", "Type"];
    private static readonly string[] DefinitionKeys = ["Body", "DeregisterCriticalServiceAfter", "HTTP", "Header", "Interval", "Method", "TCP", "TLSServerName", "TLSSkipVerify", "Timeout"];

    [Fact]
    public async Task AgentServices_DocumentedSample_FieldByField()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Redis);

        var services = await GetJsonAsync(server.Client, "/v1/agent/services");

        Assert.Equal(["redis1"], Keys(services));
        var redis = services.GetProperty("redis1");
        Assert.Equal(["Address", "Datacenter", "EnableTagOverride", "ID", "Meta", "Port", "Service", "TaggedAddresses", "Tags", "Weights"], Keys(redis));
        Assert.Equal("redis1", redis.GetProperty("ID").GetString());
        Assert.Equal("redis", redis.GetProperty("Service").GetString());
        Assert.Equal(["primary", "v1"], redis.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("4.0", redis.GetProperty("Meta").GetProperty("redis_version").GetString());
        Assert.Equal(8000, redis.GetProperty("Port").GetInt32());
        Assert.Equal("127.0.0.1", redis.GetProperty("Address").GetString());
        Assert.False(redis.GetProperty("EnableTagOverride").GetBoolean());
        Assert.Equal("dc1", redis.GetProperty("Datacenter").GetString());
        Assert.Equal(10, redis.GetProperty("Weights").GetProperty("Passing").GetInt32());
        Assert.Equal(1, redis.GetProperty("Weights").GetProperty("Warning").GetInt32());
        var lan = redis.GetProperty("TaggedAddresses").GetProperty("lan_ipv4");
        Assert.Equal("127.0.0.1", lan.GetProperty("Address").GetString());
        Assert.Equal(8000, lan.GetProperty("Port").GetInt32());
    }

    [Fact]
    public async Task AgentServices_NoTagsNoMeta_EmptyArrayAndMapNotNull()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"Name":"bare","Port":80,"Address":"bare.example"}""");

        var bare = (await GetJsonAsync(server.Client, "/v1/agent/services")).GetProperty("bare");

        Assert.Equal(JsonValueKind.Array, bare.GetProperty("Tags").ValueKind);
        Assert.Equal(0, bare.GetProperty("Tags").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, bare.GetProperty("Meta").ValueKind);
        Assert.False(bare.TryGetProperty("TaggedAddresses", out _)); // Consul tags IP addresses only
    }

    [Fact]
    public async Task AgentChecks_DocumentedSample_FieldByField()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Redis);
        var node = NodeName(server);

        var checks = await GetJsonAsync(server.Client, "/v1/agent/checks");

        Assert.Equal(["service:redis1"], Keys(checks));
        var check = checks.GetProperty("service:redis1");
        Assert.Equal(CheckKeys, Keys(check));
        Assert.Equal(node, check.GetProperty("Node").GetString());
        Assert.Equal("service:redis1", check.GetProperty("CheckID").GetString());
        Assert.Equal("Service 'redis' check", check.GetProperty("Name").GetString());
        Assert.Equal("critical", check.GetProperty("Status").GetString()); // Consul: a check starts critical until it passes
        Assert.Equal("", check.GetProperty("Notes").GetString());
        Assert.Equal("redis1", check.GetProperty("ServiceID").GetString());
        Assert.Equal("redis", check.GetProperty("ServiceName").GetString());
        Assert.Equal(["primary", "v1"], check.GetProperty("ServiceTags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("http", check.GetProperty("Type").GetString());
        Assert.Equal("10s", check.GetProperty("Interval").GetString());
        Assert.Equal("5s", check.GetProperty("Timeout").GetString());
        var definition = check.GetProperty("Definition");
        Assert.Equal(DefinitionKeys, Keys(definition));
        Assert.Equal("http://127.0.0.1:8000/health", definition.GetProperty("HTTP").GetString());
        Assert.Equal("10s", definition.GetProperty("Interval").GetString());
        Assert.Equal("5s", definition.GetProperty("Timeout").GetString());
        Assert.Equal("1h30m0s", definition.GetProperty("DeregisterCriticalServiceAfter").GetString());
        Assert.Equal(JsonValueKind.Null, definition.GetProperty("Header").ValueKind);
        Assert.Equal("", definition.GetProperty("TCP").GetString());
    }

    [Fact]
    public async Task CatalogServices_DocumentedShape_NameToTagUnion()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, """{"ID":"pg1","Name":"postgresql","Port":5432,"Tags":["primary"]}""");
        await RegisterAsync(server.Client, """{"ID":"pg2","Name":"postgresql","Port":5433,"Tags":["secondary","primary"]}""");
        await RegisterAsync(server.Client, """{"Name":"redis","Port":6379}""");

        var services = await GetJsonAsync(server.Client, "/v1/catalog/services");

        Assert.Equal(["postgresql", "redis"], Keys(services));
        Assert.Equal(["primary", "secondary"], services.GetProperty("postgresql").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0, services.GetProperty("redis").GetArrayLength());
    }

    [Fact]
    public async Task CatalogService_DocumentedSample_FieldByField()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Redis);

        var entries = await GetJsonAsync(server.Client, "/v1/catalog/service/redis");

        var entry = Assert.Single(entries.EnumerateArray());
        Assert.Equal(
            ["Address", "CreateIndex", "Datacenter", "ID", "ModifyIndex", "Node", "NodeMeta", "ServiceAddress", "ServiceConnect", "ServiceEnableTagOverride",
             "ServiceID", "ServiceKind", "ServiceMeta", "ServiceName", "ServicePort", "ServiceProxy", "ServiceSocketPath", "ServiceTaggedAddresses",
             "ServiceTags", "ServiceWeights", "TaggedAddresses"],
            Keys(entry));
        Assert.True(Guid.TryParse(entry.GetProperty("ID").GetString(), out _));
        Assert.Equal(NodeName(server), entry.GetProperty("Node").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("Address").GetString());
        Assert.Equal("dc1", entry.GetProperty("Datacenter").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("TaggedAddresses").GetProperty("lan").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("TaggedAddresses").GetProperty("wan").GetString());
        Assert.Equal(JsonValueKind.Object, entry.GetProperty("NodeMeta").ValueKind);
        Assert.Equal("", entry.GetProperty("ServiceKind").GetString());
        Assert.Equal("redis1", entry.GetProperty("ServiceID").GetString());
        Assert.Equal("redis", entry.GetProperty("ServiceName").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("ServiceAddress").GetString());
        Assert.Equal(8000, entry.GetProperty("ServicePort").GetInt32());
        Assert.Equal("4.0", entry.GetProperty("ServiceMeta").GetProperty("redis_version").GetString());
        Assert.Equal(["primary", "v1"], entry.GetProperty("ServiceTags").EnumerateArray().Select(t => t.GetString()));
        Assert.False(entry.GetProperty("ServiceEnableTagOverride").GetBoolean());
        Assert.Equal(10, entry.GetProperty("ServiceWeights").GetProperty("Passing").GetInt32());
        Assert.Equal(JsonValueKind.Object, entry.GetProperty("ServiceProxy").ValueKind);
        Assert.Equal(JsonValueKind.Object, entry.GetProperty("ServiceConnect").ValueKind);
        Assert.True(entry.GetProperty("CreateIndex").GetInt64() >= 1);
        Assert.True(entry.GetProperty("ModifyIndex").GetInt64() >= entry.GetProperty("CreateIndex").GetInt64());
    }

    [Fact]
    public async Task HealthService_DocumentedSample_NodeServiceAndChecksWithSerfHealth()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Redis);

        var entries = await GetJsonAsync(server.Client, "/v1/health/service/redis");

        var entry = Assert.Single(entries.EnumerateArray());
        Assert.Equal(["Checks", "Node", "Service"], Keys(entry));
        var node = entry.GetProperty("Node");
        Assert.Equal(NodeKeys, Keys(node));
        Assert.Equal(NodeName(server), node.GetProperty("Node").GetString());
        Assert.Equal("127.0.0.1", node.GetProperty("Address").GetString());
        Assert.Equal("dc1", node.GetProperty("Datacenter").GetString());
        var service = entry.GetProperty("Service");
        Assert.Equal(["Address", "CreateIndex", "EnableTagOverride", "ID", "Meta", "ModifyIndex", "Port", "Service", "TaggedAddresses", "Tags", "Weights"], Keys(service));
        Assert.Equal("redis1", service.GetProperty("ID").GetString());
        Assert.Equal("redis", service.GetProperty("Service").GetString());
        Assert.Equal(8000, service.GetProperty("Port").GetInt32());
        var checks = entry.GetProperty("Checks").EnumerateArray().ToList();
        Assert.Equal(["serfHealth", "service:redis1"], checks.Select(c => c.GetProperty("CheckID").GetString()));
        Assert.All(checks, c => Assert.Equal(CheckKeys, Keys(c)));
        Assert.Equal("Serf Health Status", checks[0].GetProperty("Name").GetString());
        Assert.Equal("passing", checks[0].GetProperty("Status").GetString());
        Assert.Equal("", checks[0].GetProperty("ServiceID").GetString());
        Assert.Equal(0, checks[0].GetProperty("ServiceTags").GetArrayLength());
    }

    [Fact]
    public async Task HealthChecksAndState_DocumentedShape()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server.Client, Redis);

        var serviceChecks = await GetJsonAsync(server.Client, "/v1/health/checks/redis");
        var critical = await GetJsonAsync(server.Client, "/v1/health/state/critical");
        var passing = await GetJsonAsync(server.Client, "/v1/health/state/passing");
        var any = await GetJsonAsync(server.Client, "/v1/health/state/any");

        Assert.Equal(["service:redis1"], serviceChecks.EnumerateArray().Select(c => c.GetProperty("CheckID").GetString()));
        Assert.Equal(CheckKeys, Keys(serviceChecks[0]));
        Assert.Equal(["service:redis1"], critical.EnumerateArray().Select(c => c.GetProperty("CheckID").GetString()));
        Assert.Equal(["serfHealth"], passing.EnumerateArray().Select(c => c.GetProperty("CheckID").GetString()));
        Assert.Equal(["serfHealth", "service:redis1"], any.EnumerateArray().Select(c => c.GetProperty("CheckID").GetString()));
    }

    [Fact]
    public async Task UnknownService_EmptyArraysNotNullOrNotFound()
    {
        await using var server = await RegistryServer.StartAsync();

        Assert.Equal(JsonValueKind.Array, (await GetJsonAsync(server.Client, "/v1/catalog/service/nope")).ValueKind);
        Assert.Equal(0, (await GetJsonAsync(server.Client, "/v1/health/service/nope")).GetArrayLength());
        Assert.Equal(0, (await GetJsonAsync(server.Client, "/v1/health/checks/nope")).GetArrayLength());
        Assert.Equal(0, (await GetJsonAsync(server.Client, "/v1/health/state/warning")).GetArrayLength());
        Assert.Equal(JsonValueKind.Object, (await GetJsonAsync(server.Client, "/v1/agent/services")).ValueKind);
        Assert.Empty((await GetJsonAsync(server.Client, "/v1/catalog/services")).EnumerateObject());
    }

    [Fact]
    public async Task SelfLeaderPeersDatacenters_WhatProbingClientsRead()
    {
        await using var server = await RegistryServer.StartAsync();

        var self = await GetJsonAsync(server.Client, "/v1/agent/self");
        var leader = await GetJsonAsync(server.Client, "/v1/status/leader");
        var peers = await GetJsonAsync(server.Client, "/v1/status/peers");
        var datacenters = await GetJsonAsync(server.Client, "/v1/catalog/datacenters");

        var config = self.GetProperty("Config");
        Assert.Equal("dc1", config.GetProperty("Datacenter").GetString());
        Assert.Equal(NodeName(server), config.GetProperty("NodeName").GetString());
        Assert.True(Guid.TryParse(config.GetProperty("NodeID").GetString(), out _));
        Assert.Matches(@"^\d+\.\d+\.\d+$", config.GetProperty("Version").GetString());
        Assert.True(config.GetProperty("Server").GetBoolean());
        Assert.Equal(NodeName(server), self.GetProperty("Member").GetProperty("Name").GetString());
        Assert.Equal("127.0.0.1", self.GetProperty("Member").GetProperty("Addr").GetString());
        Assert.Equal("true", self.GetProperty("Stats").GetProperty("consul").GetProperty("leader").GetString());
        Assert.Equal("127.0.0.1:8300", leader.GetString());
        Assert.Equal(["127.0.0.1:8300"], peers.EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["dc1"], datacenters.EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task Pretty_IndentedWithFinalNewline()
    {
        await using var server = await RegistryServer.StartAsync();

        var text = await server.Client.GetStringAsync("/v1/status/leader?pretty");
        var compact = await server.Client.GetStringAsync("/v1/catalog/datacenters");

        Assert.Equal("\"127.0.0.1:8300\"\n", text);
        Assert.Equal("[\"dc1\"]", compact);
    }
}

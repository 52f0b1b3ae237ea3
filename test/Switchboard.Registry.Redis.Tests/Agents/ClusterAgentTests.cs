using Microsoft.Extensions.Time.Testing;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>A real agent and an in-process node over a real three-master Redis Cluster on loopback.</summary>
public sealed class ClusterAgentTests : IAsyncLifetime
{
    private readonly string _ns = "t" + Guid.NewGuid().ToString("N")[..8];
    private RedisCluster _cluster = null!;
    private ServiceProcess? _agent;
    private RedisNode? _node;

    public async ValueTask InitializeAsync() => _cluster = await RedisCluster.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
        if (_agent is not null)
            await _agent.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Agent_OverACluster_RegistersDiscoversDeregistersAndReplicatesToAnotherNode()
    {
        var agent = _agent = await RedisAgent.StartAsync("a", ["--redis", _cluster.ConnectionString, "--redis-namespace", _ns]);
        var node = _node = await RedisNode.StartAsync(_cluster.ConnectionString, new FakeTimeProvider(RedisNode.Epoch), "b", _ns);
        Assert.Contains($"(store: redis at {_cluster.ConnectionString}, namespace {_ns}, node a)", agent.Output, StringComparison.Ordinal);

        await agent.RegisterAsync("o1");
        Assert.Equal("o1", await agent.DiscoverAsync());
        await Eventually.TrueAsync(() => node.Catalog.PickRoundRobin("orders", out _)?.InstanceId == "o1", "the other node discovers o1 through pub/sub");

        Assert.True(await node.Catalog.DeregisterAsync("o1", Ct));
        await Eventually.TrueAsync(async () => await agent.InstanceAsync("o1") is null, "the agent drops o1 deregistered on the other node");
        Assert.Null(await agent.DiscoverAsync());
    }
}

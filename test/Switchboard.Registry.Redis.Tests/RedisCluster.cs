using System.Globalization;

namespace Switchboard.Registry.Redis.Tests;

/// <summary>A real Redis Cluster of master nodes on loopback (no replicas), slots spread by <c>redis-cli --cluster create</c>; every node killed on dispose.</summary>
internal sealed class RedisCluster : IAsyncDisposable
{
    private readonly List<RedisServer> _nodes = [];

    private RedisCluster()
    {
    }

    public IReadOnlyList<RedisServer> Nodes => _nodes;

    /// <summary>Every node, as a client lists a cluster's seeds: <c>127.0.0.1:p1,127.0.0.1:p2,...</c>.</summary>
    public string ConnectionString => string.Join(",", _nodes.Select(n => n.Endpoint));

    public static async Task<RedisCluster> StartAsync(int masters = 3)
    {
        var cluster = new RedisCluster();
        try
        {
            foreach (var node in await Task.WhenAll(Enumerable.Range(0, masters).Select(_ => RedisServer.StartAsync(new RedisServerSettings { ClusterNode = true }))))
                cluster._nodes.Add(node);
            var (exit, stdout, stderr) = await ProcessRunner.RunAsync("redis-cli",
                ["--cluster", "create", .. cluster._nodes.Select(n => n.Endpoint), "--cluster-replicas", "0", "--cluster-yes"]);
            if (exit != 0)
                throw new InvalidOperationException($"redis-cli --cluster create failed ({exit}):\n{stdout}\n{stderr}");
            foreach (var node in cluster._nodes)
                await Eventually.TrueAsync(async () => (await ClusterInfoAsync(node)).Contains("cluster_state:ok", StringComparison.Ordinal),
                    $"node {node.Endpoint} reports the cluster ok");
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    private static async Task<string> ClusterInfoAsync(RedisServer node)
        => (await ProcessRunner.RunAsync("redis-cli", "-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info")).Stdout;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }
}

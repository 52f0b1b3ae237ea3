using Microsoft.Extensions.Time.Testing;

namespace Switchboard.Registry.Redis.Tests;

/// <summary>The in-process nodes of one test: one fresh namespace, one shared fake clock; every node disposed with the set.</summary>
internal sealed class RedisNodes : IAsyncDisposable
{
    private readonly List<RedisNode> _nodes = [];

    public FakeTimeProvider Time { get; } = new(RedisNode.Epoch);

    public string Namespace { get; } = "t" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Starts (loads) a node over <paramref name="connectionString"/> and keeps it for disposal.</summary>
    public async Task<RedisNode> StartAsync(string connectionString, string id, bool hybrid = false, string? trustedCaFile = null)
    {
        var node = await RedisNode.StartAsync(connectionString, Time, id, Namespace, hybrid, trustedCaFile);
        _nodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }
}

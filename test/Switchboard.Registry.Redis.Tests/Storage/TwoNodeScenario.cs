namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>What every Redis topology must carry between two nodes: a registration, its discovery elsewhere, a heartbeat, a removal.</summary>
internal static class TwoNodeScenario
{
    /// <summary>
    /// Registers <paramref name="id"/> on <paramref name="a"/>, waits until <paramref name="b"/> discovers it (pub/sub),
    /// heartbeats it on <paramref name="b"/>, deregisters it on <paramref name="b"/> and waits until <paramref name="a"/> drops it.
    /// </summary>
    public static async Task RunAsync(RedisNode a, RedisNode b, string id, CancellationToken ct)
    {
        await a.Catalog.RegisterAsync(RedisNode.Instance(id: id, ttl: TimeSpan.FromMinutes(1)), ct);
        await Eventually.TrueAsync(() => b.Catalog.PickRoundRobin("orders", out _)?.InstanceId == id, $"{b.Store.NodeId} discovers {id}");
        await Eventually.TrueAsync(() => a.Catalog.GetInstance(id)?.Instance.ModifyIndex == b.Catalog.GetInstance(id)?.Instance.ModifyIndex,
            "both nodes label the registration with one index");

        Assert.NotNull(await b.Catalog.HeartbeatAsync(id, cancellationToken: ct));
        Assert.True(await b.Catalog.DeregisterAsync(id, ct));

        await Eventually.TrueAsync(() => a.Catalog.GetInstance(id) is null, $"{a.Store.NodeId} drops {id}");
        Assert.True(a.Store.IsOnline && b.Store.IsOnline);
    }
}

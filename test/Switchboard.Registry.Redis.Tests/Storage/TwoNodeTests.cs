using Microsoft.Extensions.Time.Testing;

namespace Switchboard.Registry.Redis.Tests.Storage;

/// <summary>
/// The setup of the two-node tests: a real redis-server of their own, and two in-process nodes (<see cref="A"/>,
/// <see cref="B"/>) with their own connections, in one fresh namespace, on one fake clock; all stopped after each test.
/// </summary>
public abstract class TwoNodeTests : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(RedisNode.Epoch);

    protected string Namespace { get; } = "t" + Guid.NewGuid().ToString("N")[..8];

    protected RedisServer Redis { get; private set; } = null!;

    protected RedisNode A { get; private set; } = null!;

    protected RedisNode B { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        A = await RedisNode.StartAsync(Redis.ConnectionString, Time, "a", Namespace);
        await AfterNodeStartedAsync(A);
        B = await RedisNode.StartAsync(Redis.ConnectionString, Time, "b", Namespace);
        await AfterNodeStartedAsync(B);
    }

    /// <summary>Runs after each node started, before the next one (a test class that needs node a to lead ticks it here).</summary>
    protected virtual Task AfterNodeStartedAsync(RedisNode node) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (B is not null)
            await B.DisposeAsync();
        if (A is not null)
            await A.DisposeAsync();
        if (Redis is not null)
            await Redis.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

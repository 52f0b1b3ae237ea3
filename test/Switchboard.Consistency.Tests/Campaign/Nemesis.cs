using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>
/// Injects faults into the agents on a schedule drawn from a seeded <see cref="Random"/>: every 0.5 to 2 s one fault on one
/// agent. Each fault is recorded in the history when it starts. The delays are real: this is a campaign on real processes.
/// </summary>
/// <param name="history">Where faults are recorded.</param>
/// <param name="nodes">The agents it may hit.</param>
/// <param name="faults">The faults it may inject.</param>
/// <param name="seed">The seed of its schedule.</param>
/// <param name="store">The store's server, for <see cref="Fault.StoreRestart"/>.</param>
/// <param name="links">The agents' links to the store's server, for <see cref="Fault.Partition"/>.</param>
public sealed class Nemesis(History history, IReadOnlyList<AgentNode> nodes, Fault faults, int seed, StoreControl? store = null, IReadOnlyList<TcpProxy>? links = null)
{
    /// <summary>The client number of the nemesis in the history.</summary>
    public const int Client = -1;

    private readonly Random _random = new(seed);

    /// <summary>Injects faults until <paramref name="stop"/>; a fault in progress is finished (the agent restarted or resumed) first.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        Fault[] menu = [.. Enum.GetValues<Fault>().Where(f => f != Fault.None && faults.HasFlag(f))];
        if (menu.Length == 0)
            return;
        while (true)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_random.Next(500, 2000)), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var fault = menu[_random.Next(menu.Length)];
            var node = nodes[_random.Next(nodes.Count)];
            await (fault switch
            {
                Fault.Kill => InjectAsync($"kill {node.Name}", node.KillAsync, 0, 500, node.RestartAsync),
                Fault.Pause => InjectAsync($"pause {node.Name}", node.PauseAsync, 500, 3000, node.ResumeAsync),
                Fault.StoreRestart when store is not null => InjectAsync($"store-restart {store.Name}", store.KillAsync, 500, 3000, store.StartAsync),
                Fault.Partition when links is { Count: > 0 } => PartitionAsync(links[_random.Next(links.Count)]),
                _ => Task.CompletedTask,
            });
        }
    }

    /// <summary>Ends every fault: the store's server runs and every link to it forwards, every agent runs and none is paused.</summary>
    public async Task HealAsync()
    {
        foreach (var link in links ?? [])
            link.Heal();
        if (store is not null && !store.IsRunning())
            await store.StartAsync();
        foreach (var node in nodes)
            await node.HealAsync();
    }

    /// <summary>Records the fault, starts it, lets it last a random while (milliseconds), then ends it.</summary>
    private async Task InjectAsync(string what, Func<Task> start, int minMs, int maxMs, Func<Task> end)
    {
        Record(what);
        await start();
        await Task.Delay(TimeSpan.FromMilliseconds(_random.Next(minMs, maxMs)), CancellationToken.None);
        await end();
    }

    private Task PartitionAsync(TcpProxy link) => InjectAsync($"partition {link.Name}", () =>
    {
        link.Cut();
        return Task.CompletedTask;
    }, 500, 3000, () =>
    {
        link.Heal();
        return Task.CompletedTask;
    });

    private void Record(string what)
        => history.Observe(new Operation { Client = Client, Kind = OperationKind.Fault, Outcome = Outcome.Ok, Detail = what });
}

using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>
/// N concurrent clients, each doing one operation at a time on the key space: register or re-register, deregister,
/// heartbeat, read (a third of them blocking queries on the last index the client saw).
/// </summary>
/// <param name="history">Where the operations are recorded.</param>
/// <param name="nodes">The agents; each operation goes to one chosen at random.</param>
/// <param name="keys">The key space.</param>
/// <param name="seed">The seed of the clients' choices (client i uses seed + i).</param>
public sealed class Clients(History history, IReadOnlyList<AgentNode> nodes, KeySpace keys, int seed)
{
    /// <summary>How long an operation may take before its outcome is unknown.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="count"/> clients until <paramref name="stop"/> or until the history holds <paramref name="maxOperations"/>.</summary>
    public Task RunAsync(int count, int maxOperations, CancellationToken stop)
        => Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => RunClientAsync(i, maxOperations, stop), CancellationToken.None)));

    private async Task RunClientAsync(int client, int maxOperations, CancellationToken stop)
    {
        var random = new Random(seed + client);
        using var http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var calls = new RegistryCalls(history, http, client, Timeout);
        var lastIndex = new Dictionary<(string, string), long>();
        while (!stop.IsCancellationRequested && history.Count < maxOperations)
        {
            var node = nodes[random.Next(nodes.Count)];
            var (service, instanceId) = keys.Pick(random);
            var roll = random.Next(100);
            Outcome outcome;
            if (roll < 30)
            {
                outcome = await calls.RegisterAsync(node, service, instanceId);
            }
            else if (roll < 45)
            {
                outcome = await calls.DeregisterAsync(node, service, instanceId);
            }
            else if (roll < 60)
            {
                outcome = await calls.HeartbeatAsync(node, service, instanceId);
            }
            else
            {
                long? after = random.Next(3) == 0 && lastIndex.TryGetValue((node.Name, service), out var seen) ? seen : null;
                (outcome, var index) = await calls.ReadAsync(node, service, after);
                if (index is { } i)
                    lastIndex[(node.Name, service)] = i;
            }
            if (outcome == Outcome.Unknown || (outcome == Outcome.Failed && roll < 60 && random.Next(2) == 0))
            {
                // Do not spin against an agent that is down or paused.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(20, 100)), CancellationToken.None);
            }
        }
    }
}

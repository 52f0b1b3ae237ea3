using Switchboard.Consistency.Tests.Checking;
using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>
/// One run: clients and watchers against the agents while the nemesis injects faults, for the settings' budget; then the
/// faults are healed, every service is read once more (the final reads) and the history is checked.
/// </summary>
public static class HistoryCampaign
{
    /// <summary>The client number of the final reads in the history.</summary>
    public const int FinalClient = 1000;

    /// <summary>Runs a campaign named <paramref name="configuration"/> against <paramref name="nodes"/>; <paramref name="log"/> receives the seed first and the summary last.</summary>
    /// <remarks><paramref name="lastFault"/>, when given, is injected after the clients stopped and before healing: nothing rewrites what it broke.</remarks>
    public static async Task<CampaignReport> RunAsync(string configuration, CampaignSettings settings, IReadOnlyList<AgentNode> nodes, Fault faults, Action<string> log,
        StoreControl? store = null, IReadOnlyList<TcpProxy>? links = null, Func<Task>? lastFault = null)
    {
        log($"{configuration}: seed {settings.Seed} (SWITCHBOARD_HISTORY_SEED), {settings.Duration.TotalSeconds:0} s (SWITCHBOARD_HISTORY_SECONDS), {settings.ClientCount} clients, faults {faults}");
        var history = new History();
        var keys = KeySpace.Default;
        using var stopWatchers = new CancellationTokenSource();
        using var stop = new CancellationTokenSource(settings.Duration);
        var watchers = new Watchers(history, nodes, keys).RunAsync(stopWatchers.Token);
        var chaos = new Nemesis(history, nodes, faults, settings.Seed, store, links);
        var nemesis = chaos.RunAsync(stop.Token);
        try
        {
            await new Clients(history, nodes, keys, settings.Seed).RunAsync(settings.ClientCount, settings.MaxOperations, stop.Token);
            await stop.CancelAsync();
            await nemesis;
            if (lastFault is not null)
            {
                history.Observe(new Operation { Client = Nemesis.Client, Kind = OperationKind.Fault, Outcome = Outcome.Ok, Detail = "last-fault (after the clients stopped)" });
                await lastFault();
            }
            await chaos.HealAsync();
            await FinalReadsAsync(history, nodes, keys);
        }
        finally
        {
            // Also on failure: no fault left in progress, no subscriber left reading, before the caller disposes the agents.
            await stop.CancelAsync();
            await stopWatchers.CancelAsync();
            await Task.WhenAll(nemesis, watchers);
        }

        var result = Checker.Check(history);
        string? file = null;
        if (!result.Valid)
        {
            file = Path.Combine(Path.GetTempPath(), $"switchboard-history-{configuration}-seed{settings.Seed}-{DateTime.UtcNow:yyyyMMddTHHmmss}.jsonl");
            history.Save(file);
            foreach (var node in nodes)
                await File.WriteAllTextAsync(Path.ChangeExtension(file, $"{node.Name}.log"), node.Output); // what each agent printed since its last start
        }
        log(result.Summary() + (file is null ? "" : $"history for replay: {file} (SWITCHBOARD_HISTORY_REPLAY={file} dotnet test test/Switchboard.Consistency.Tests)"));
        return new CampaignReport(result, file);
    }

    /// <summary>
    /// Waits (bounded) until every node answers the same instances, then reads every service on the first node until a read
    /// succeeds: the state the lost-write check compares with the model.
    /// </summary>
    private static async Task FinalReadsAsync(History history, IReadOnlyList<AgentNode> nodes, KeySpace keys)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var attempt = 1; nodes.Count > 1 && attempt <= 60; attempt++)
        {
            try
            {
                var answers = new HashSet<string>(StringComparer.Ordinal);
                foreach (var node in nodes)
                {
                    foreach (var service in keys.Services)
                        answers.Add(service + await http.GetStringAsync(new Uri(node.BaseUri, $"/service-discovery/services/{service}/instances")));
                }
                if (answers.Count == keys.Services.Count)
                    break;
            }
            catch (HttpRequestException)
            {
                // still starting: try again
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        var node0 = nodes[0];
        var calls = new RegistryCalls(history, http, FinalClient, TimeSpan.FromSeconds(10));
        foreach (var service in keys.Services)
        {
            for (var attempt = 1; ; attempt++)
            {
                var (outcome, _) = await calls.ReadAsync(node0, service, final: true);
                if (outcome == Outcome.Ok)
                    break;
                if (attempt == 30)
                    throw new InvalidOperationException($"the final read of {service} on {node0.Name} did not succeed after healing:\n{node0.Output}");
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }
}

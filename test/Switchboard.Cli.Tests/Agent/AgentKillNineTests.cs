using System.Collections.Concurrent;
using static Switchboard.Cli.Tests.Agent.AgentFiles;

namespace Switchboard.Cli.Tests.Agent;

/// <summary>kill -9 of the real agent while writers send large registrations: no acknowledged write is ever lost.</summary>
public sealed class AgentKillNineTests : IDisposable
{
    private const int Rounds = 10;
    private const int Writers = 6;
    private const int AcksBeforeKill = 25;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sb-kill9-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
            Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task KillNineUnderConcurrentLargeWrites_TenRounds_NoAcknowledgedWriteIsLost()
    {
        var acknowledged = new ConcurrentBag<int>();
        var nextPort = 0;
        for (var round = 0; round < Rounds; round++)
        {
            await using var agent = await AgentProcess.StartAsync("--data-dir", _dataDir);
            using var http = new HttpClient { BaseAddress = agent.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            var acksThisRound = 0;
            using var enough = new SemaphoreSlim(0);
            var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
            {
                // Each writer stops at its first failure: the kill (connection refused or reset) ends the round.
                while (true)
                {
                    var port = Interlocked.Increment(ref nextPort);
                    try
                    {
                        using var response = await RegisterAsync(http, Registration("bulk", port, metadataBytes: 30_000));
                        if (!response.IsSuccessStatusCode)
                            return;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        return;
                    }
                    acknowledged.Add(port);
                    if (Interlocked.Increment(ref acksThisRound) == AcksBeforeKill)
                        enough.Release();
                }
            })).ToArray();

            await enough.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            await agent.KillAsync();
            await Task.WhenAll(writers);
        }

        await using var final = await AgentProcess.StartAsync("--data-dir", _dataDir);
        var present = await PortsAsync(final.Client, "bulk");
        var lost = acknowledged.Where(p => !present.Contains(p)).Order().ToList();
        Assert.True(acknowledged.Count >= Rounds * AcksBeforeKill);
        Assert.Empty(lost);
    }
}

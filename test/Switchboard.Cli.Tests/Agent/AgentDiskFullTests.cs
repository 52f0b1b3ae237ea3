using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Switchboard.Cli.Tests.Agent.AgentFiles;

namespace Switchboard.Cli.Tests.Agent;

/// <summary>The real agent on a 2 MB tmpfs that fills up: refused writes answer 503 (again on retry), wake no parked query, show nowhere and leave nothing behind.</summary>
public sealed class AgentDiskFullTests
{
    [Fact]
    public async Task DiskFull_503WithRetryAfter_ThenFreed_WritesAgain_AndOnlyAcceptedWritesSurviveARestart()
    {
        var (mount, reason) = await TmpfsMount.TryMountAsync("size=2m");
        if (mount is null)
            Assert.Skip(reason + " (no fault layer stands in for a full disk: this case is not covered here)");
        await using (mount)
        {
            var dataDir = Path.Combine(mount.Path, "data");
            var filler = Path.Combine(mount.Path, "filler");
            await using (var agent = await AgentProcess.StartAsync("--data-dir", dataDir))
            {
                long index;
                using (var first = await RegisterAsync(agent.Client, Registration("orders", 1)))
                {
                    Assert.Equal(HttpStatusCode.Created, first.StatusCode);
                    index = (await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("index").GetInt64();
                }
                var parked = agent.Client.GetAsync($"/service-discovery/services/orders/instances?index={index}&wait=60s", TestContext.Current.CancellationToken);

                await FillAsync(filler);
                var refusedBody = Registration("orders", 2, metadataBytes: 30_000);
                for (var attempt = 1; attempt <= 2; attempt++) // a retry gets the same answer until the store takes it
                {
                    using var refused = await RegisterAsync(agent.Client, refusedBody);
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                    Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
                    var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
                    Assert.Contains("No space left on device", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                    Assert.Contains(dataDir, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                }
                Assert.False(parked.IsCompleted, "a parked blocking query was woken by a write the store refused");
                Assert.Equal([1], await PortsAsync(agent.Client, "orders"));
                var health = await agent.Client.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken);
                Assert.Equal("degraded", health.GetProperty("store").GetProperty("status").GetString());

                File.Delete(filler);
                using (var retried = await RegisterAsync(agent.Client, refusedBody))
                    Assert.Equal(HttpStatusCode.Created, retried.StatusCode); // created: the refused attempts left nothing
                using (var woken = await parked)
                    Assert.Contains("\"port\":2", await woken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
                using (var another = await RegisterAsync(agent.Client, Registration("orders", 3, metadataBytes: 30_000)))
                    Assert.Equal(HttpStatusCode.Created, another.StatusCode);
                health = await agent.Client.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken);
                Assert.Equal("ok", health.GetProperty("store").GetProperty("status").GetString());
                await agent.KillAsync();
            }

            await using var restarted = await AgentProcess.StartAsync("--data-dir", dataDir);
            Assert.Equal([1, 2, 3], (await PortsAsync(restarted.Client, "orders")).Order());
            await restarted.KillAsync();
        }
    }

    /// <summary>Writes <paramref name="path"/> until the file system has no space left.</summary>
    private static async Task FillAsync(string path)
    {
        var chunk = new byte[4096];
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
                await file.WriteAsync(chunk, TestContext.Current.CancellationToken);
        }
        catch (IOException)
        {
            // full
        }
    }
}

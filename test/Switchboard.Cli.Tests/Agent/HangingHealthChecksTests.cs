using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Cli.Tests.Agent;

/// <summary>
/// The real agent keeps a canary's 1 s check on its interval while 3,000 other HTTP checks hang on a server that accepts and
/// never answers (all on 127.0.0.1). Counts and generous bounds only: nothing here asserts a speed.
/// </summary>
public sealed class HangingHealthChecksTests
{
    private const int HangingInstances = 3_000;

    [Fact(Timeout = 150_000)] // a safety net: registering 3,000 checked instances took over 60 s at load average 36 on 2 cores
    public async Task ThreeThousandHangingChecks_CanaryKeepsItsInterval_AndEveryCheckTurnsCritical()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var probes = 0;
        var failing = 0;
        await using var canary = await TestServer.StartAsync(app => app.MapGet("/health", () =>
        {
            Interlocked.Increment(ref probes);
            return Volatile.Read(ref failing) == 1 ? Results.StatusCode(500) : Results.Ok();
        }));
        await using var silent = SilentTcpServer.Start();
        await using var agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
            WriteOutputOnDispose = true,
        });
        using var http = new HttpClient { BaseAddress = agent.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForAsync(0, HangingInstances, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellation },
            async (i, ct) => await RegisterAsync(http, "hanging", $"hang-{i}", silent.Port, "5s", ct));
        await RegisterAsync(http, "canary", "canary", canary.BaseUri.Port, "1s", cancellation);

        // A counting window on the real clock (the agent runs on it): a 1 s check is probed about 15 times in 15 s. Today's
        // code probed it 0 times (its probe queued behind thousands of hanging ones); 4 leaves room for a machine so loaded
        // that the agent stalls for seconds (seen: 1 probe in 10 s at load average 20 on 2 cores).
        var before = Volatile.Read(ref probes);
        await Task.Delay(TimeSpan.FromSeconds(15), cancellation);
        var inWindow = Volatile.Read(ref probes) - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"registered in {clock.Elapsed.TotalSeconds - 15:0.0} s; canary probed {inWindow} times in 15 s");
        Assert.True(inWindow >= 4, $"the canary's 1 s check was probed {inWindow} times in 15 s beside {HangingInstances:N0} hanging checks");

        Volatile.Write(ref failing, 1);
        await Eventually.UntilAsync(() => StatusAsync(http, "canary"), status => status == "critical", "the canary to turn critical",
            TimeSpan.FromSeconds(12));
        await Eventually.UntilAsync(() => HealthyAsync(http, "hanging"), healthy => healthy == 0, "every hanging instance to turn critical",
            TimeSpan.FromSeconds(10));
        Assert.True(silent.Accepted >= HangingInstances, $"the silent server accepted {silent.Accepted} probe connections");
    }

    private static async Task RegisterAsync(HttpClient http, string service, string id, int port, string timeout, CancellationToken ct)
    {
        var body = $$$"""{"service_name":"{{{service}}}","instance_id":"{{{id}}}","host":"127.0.0.1","port":{{{port}}},"ttl":"10m","check":{"kind":"http","http":"/health","interval":"1s","timeout":"{{{timeout}}}"}}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/service-discovery/register", content, ct);
        Assert.True(response.IsSuccessStatusCode, $"registering {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static async Task<string?> StatusAsync(HttpClient http, string id)
        => (await http.GetFromJsonAsync<JsonElement>($"/service-discovery/instances/{id}")).GetProperty("instance").GetProperty("status").GetString();

    private static async Task<int> HealthyAsync(HttpClient http, string service)
        => (await http.GetFromJsonAsync<JsonElement>("/service-discovery/services")).GetProperty("services").EnumerateArray()
            .Where(s => s.GetProperty("service_name").GetString() == service)
            .Select(s => s.GetProperty("healthy_instances").GetInt32())
            .Single();
}

using System.Net;
using System.Text;

namespace Switchboard.Cli.Tests.Agent;

/// <summary>The agent process's write rate limit and audit events, as an operator sees them: 429s, and one audit line per write on its log.</summary>
public sealed class AgentWriteGuardsTests
{
    [Fact]
    public async Task WritesPastTheLimit_Refused429_EveryWriteAuditedOnTheLog()
    {
        await using var agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string>
            {
                ["Switchboard__Limits__Writes__PermitsPerSecond"] = "1",
                ["Switchboard__Limits__Writes__Burst"] = "3",
                ["Switchboard__Limits__Writes__ExemptLoopback"] = "false",
            },
            WriteOutputOnDispose = true,
        });
        using var http = new HttpClient { BaseAddress = agent.BaseUri };
        var ct = TestContext.Current.CancellationToken;

        // A burst of 3 at 1/s: one of these 50 writes is refused unless each took over a second.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 50 && refused is null; i++)
        {
            var response = await http.PostAsync("/service-discovery/register",
                new StringContent($$"""{"service_name":"orders","instance_id":"i-{{i}}","host":"10.0.0.1","port":80}""", Encoding.UTF8, "application/json"), ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                refused = response;
            else
                response.Dispose();
        }
        Assert.NotNull(refused);
        using (refused)
        {
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("Switchboard:Limits:Writes:PermitsPerSecond", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        var audit = await Eventually.UntilAsync(
            () => Task.FromResult(agent.Lines.Where(l => l.Contains("Switchboard.Audit", StringComparison.Ordinal)).ToList()),
            lines => lines.Any(l => l.Contains("status=429", StringComparison.Ordinal)), "the refused write's audit line");
        Assert.Contains(audit, l => l.Contains("write register target=i-0 accessor= client=127.0.0.1 status=201 (POST /service-discovery/register)", StringComparison.Ordinal));
        Assert.Contains(agent.Lines, l => l.Contains("Write limit: 1 writes/s per client address, bursts of 3 (loopback callers limited too)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidWriteLimit_ExitsOneNamingTheKey()
    {
        var result = await AgentProcess.RunToExitAsync(["--dev"], new Dictionary<string, string> { ["Switchboard__Limits__Writes__Burst"] = "0" });

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("switchboard: invalid configuration: Switchboard:Limits:Writes:Burst must be between 1 and 10000000 (got 0).", line);
    }
}

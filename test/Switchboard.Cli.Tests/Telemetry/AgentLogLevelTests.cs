using System.Text;

namespace Switchboard.Cli.Tests.Telemetry;

/// <summary>
/// The agent as the README starts it logs lifecycle, its own events and warnings, not ASP.NET Core's five lines per request;
/// <c>--log-level</c> and the usual <c>Logging:LogLevel</c> settings change that.
/// </summary>
public sealed class AgentLogLevelTests
{
    private const string RequestLog = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string AuditLog = "Switchboard.Audit";

    /// <summary>Starts the agent, registers and reads; the console log is written by a background thread, so callers wait for what they expect.</summary>
    private static async Task<ServiceProcess> AgentAfterRequestsAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var agent = await AgentProcess.StartAsync(["--dev", .. args], new AgentProcess.Options { Environment = environment });
        using (var registered = await agent.Client.PostAsync("/service-discovery/register",
            new StringContent("""{"service_name":"quiet","instance_id":"quiet-1","host":"127.0.0.1","port":8080,"ttl":"1m"}""", Encoding.UTF8, "application/json"), ct))
            registered.EnsureSuccessStatusCode();
        for (var i = 0; i < 5; i++)
            (await agent.Client.GetAsync("/service-discovery/services/quiet/instances", ct)).Dispose();
        return agent;
    }

    /// <summary>Another registration, whose audit event (when written) comes after every event of the requests before it.</summary>
    private static async Task MarkAsync(ServiceProcess agent)
    {
        using var registered = await agent.Client.PostAsync("/service-discovery/register",
            new StringContent("""{"service_name":"quiet","instance_id":"quiet-mark","host":"127.0.0.1","port":8081,"ttl":"1m"}""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        registered.EnsureSuccessStatusCode();
    }

    [Fact(Timeout = 60_000)]
    public async Task Defaults_NoPerRequestFrameworkLines_AuditAndLifecycleKept()
    {
        await using var agent = await AgentAfterRequestsAsync([]);
        await MarkAsync(agent);

        await Eventually.UntilAsync(() => Task.FromResult(agent.Output), o => o.Contains("target=quiet-mark", StringComparison.Ordinal), "the last write's audit event");
        Assert.DoesNotContain(RequestLog, agent.Output, StringComparison.Ordinal);
        Assert.Contains("switchboard agent listening on", agent.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task LogLevelWarning_InformationEventsGone()
    {
        // Warning hides the audit events, so the last request cannot be waited for: a stopped agent has flushed its log.
        var agent = await AgentAfterRequestsAsync(["--log-level", "warning"]);
        await agent.DisposeAsync();

        Assert.DoesNotContain(AuditLog, agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(RequestLog, agent.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ConfiguredFrameworkLevel_WinsOverTheQuietDefault()
    {
        await using var agent = await AgentAfterRequestsAsync([], new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information" });

        await Eventually.UntilAsync(() => Task.FromResult(agent.Output), o => o.Contains(RequestLog, StringComparison.Ordinal), "ASP.NET Core's request events");
    }
}

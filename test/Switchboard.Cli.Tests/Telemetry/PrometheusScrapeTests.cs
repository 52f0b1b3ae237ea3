using System.Text;

namespace Switchboard.Cli.Tests.Telemetry;

/// <summary>
/// Debian's real Prometheus scrapes the real agent's <c>/metrics</c> while a scripted sequence runs (registrations, a
/// check that fails, a lease that expires); its HTTP API then answers the registration, health-check and instance-count
/// series with the values the sequence implies.
/// </summary>
public sealed class PrometheusScrapeTests
{
    [Fact(Timeout = 60_000)]
    public async Task PrometheusScrapesTheAgent_AndSeesRegistrationsProbesExpiriesAndInstanceCounts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
            WriteOutputOnDispose = true,
        });
        await using var prometheus = await PrometheusServer.StartAsync(agent.BaseUri.Authority);
        var http = agent.Client;

        var closed = Ports.Free(); // nothing listens: every probe of web-2's check fails
        await RegisterAsync(http, """{"service_name":"web","instance_id":"web-1","host":"127.0.0.1","port":8080,"ttl":"10m"}""", ct);
        await RegisterAsync(http, $$$"""{"service_name":"web","instance_id":"web-2","host":"127.0.0.1","port":{{{closed}}},"ttl":"10m","check":{"kind":"http","http":"/health","interval":"1s","timeout":"500ms"}}""", ct);
        await RegisterAsync(http, """{"service_name":"batch","instance_id":"batch-1","host":"127.0.0.1","port":9000,"ttl":"1s"}""", ct);

        using (var refused = await http.PostAsync("/service-discovery/register", new StringContent("""{"service_name":"web","port":0}""", Encoding.UTF8, "application/json"), ct))
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);

        await Until(prometheus, """switchboard_registry_instance_changes_total{service_name="batch",switchboard_change="expired"}""", v => v == 1);
        await Until(prometheus, """switchboard_registry_writes_refused_total{switchboard_reason="validation"}""", v => v == 1);
        await Until(prometheus, "switchboard_registry_deadlines_leader", v => v == 1);
        await Until(prometheus, """switchboard_registry_instances{switchboard_status="critical"}""", v => v == 1);
        await Until(prometheus, """switchboard_registry_instances{switchboard_status="passing"}""", v => v == 1);
        await Until(prometheus, "switchboard_registry_services", v => v == 1);
        await Until(prometheus, """sum(switchboard_registry_check_probes_total{switchboard_check_kind="http",switchboard_check_result="critical"})""", v => v >= 1);
        await Until(prometheus, """sum(switchboard_registry_check_probe_duration_seconds_count{switchboard_check_result="critical"})""", v => v >= 1);

        Assert.Equal(2, await prometheus.ValueAsync("""switchboard_registry_instance_changes_total{service_name="web",switchboard_change="registered"}"""));
        Assert.Equal(1, await prometheus.ValueAsync("""switchboard_registry_instance_changes_total{service_name="batch",switchboard_change="registered"}"""));
        Assert.Equal(1, await prometheus.ValueAsync("""up{job="switchboard"}"""));
        // ASP.NET Core's built-in meter comes through the same endpoint, with the route, never the raw path.
        var routes = await prometheus.QueryAsync("http_server_request_duration_seconds_count");
        Assert.Contains(routes, s => s.Labels.GetValueOrDefault("http_route") == "/service-discovery/register");
    }

    private static async Task RegisterAsync(HttpClient http, string body, CancellationToken ct)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/service-discovery/register", content, ct);
        Assert.True(response.IsSuccessStatusCode, $"registering {body}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static Task Until(PrometheusServer prometheus, string promQl, Func<double, bool> expected)
        => Eventually.UntilAsync(() => prometheus.ValueAsync(promQl), v => v is { } value && expected(value),
            $"Prometheus to answer {promQl} as expected", TimeSpan.FromSeconds(30));
}

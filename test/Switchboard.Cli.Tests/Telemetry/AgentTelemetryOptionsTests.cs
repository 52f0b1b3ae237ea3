using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Cli.Tests.Telemetry;

/// <summary><c>/metrics</c> on by default, off with <c>--metrics false</c>, behind <c>agent:read</c> under ACLs; every bad telemetry option stops the start with one line naming it.</summary>
public sealed class AgentTelemetryOptionsTests
{
    [Theory]
    [InlineData(new[] { "--log-format", "yaml" }, null, null, "--log-format must be text or json, not 'yaml'")]
    [InlineData(new string[0], "Switchboard__Telemetry__LogFormat", "yaml", "Switchboard:Telemetry:LogFormat must be text or json, not 'yaml'")]
    [InlineData(new[] { "--metrics", "maybe" }, null, null, "--metrics must be true or false, not 'maybe'")]
    [InlineData(new string[0], "Switchboard__Telemetry__Metrics", "maybe", "Switchboard:Telemetry:Metrics must be true or false, not 'maybe'")]
    [InlineData(new string[0], "OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318", "OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http:// or https:// URL such as http://localhost:4318, not 'localhost:4318'")]
    [InlineData(new string[0], "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "ftp://collector/x", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an absolute http:// or https:// URL")]
    [InlineData(new[] { "--log-level", "loud" }, null, null, "--log-level must be one of trace, debug, information, warning, error, critical, none, not 'loud'")]
    public async Task BadOption_StopsTheStart_WithOneLineNamingIt(string[] args, string? variable, string? value, string expected)
    {
        var environment = variable is null ? null : new Dictionary<string, string> { [variable] = value! };

        var result = await AgentProcess.RunToExitAsync(["--dev", .. args], environment);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("switchboard: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Metrics_OnByDefault_OffWithTheFlag()
    {
        await using var on = await AgentProcess.StartAsync("--dev");
        using var scrape = await on.Client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("switchboard_registry_instances", await scrape.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        await using var off = await AgentProcess.StartAsync("--dev", "--metrics", "false");
        using var none = await off.Client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Metrics_UnderAcls_NeedAgentRead()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var agent = await AgentProcess.StartAsync("--dev", "--acl", "--acl-default-policy", "deny");
        using var bootstrap = await agent.Client.PutAsync("/v1/acl/bootstrap", null, ct);
        bootstrap.EnsureSuccessStatusCode();
        var secret = (await bootstrap.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("SecretID").GetString();

        using var anonymous = await agent.Client.GetAsync("/metrics", ct);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Contains("agent:read", await anonymous.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Consul-Token", secret);
        using var allowed = await agent.Client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}

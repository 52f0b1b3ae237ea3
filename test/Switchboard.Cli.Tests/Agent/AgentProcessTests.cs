using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.Cli.Tests.Agent;

public sealed class AgentProcessTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "sb-agent-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
            Directory.Delete(_dataDir, recursive: true);
    }

    private static async Task<HttpResponseMessage> RegisterAsync(HttpClient http, string body)
        => await http.PostAsync("/service-discovery/register", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> InstancesAsync(HttpClient http, string service)
        => await http.GetFromJsonAsync<JsonElement>($"/service-discovery/services/{service}/instances");

    [Fact]
    public async Task HealthEndpointStops_InstanceTurnsCriticalThroughTheApi()
    {
        await using var target = await HealthTarget.StartAsync();
        await using var agent = await AgentProcess.StartAsync("--dev");
        using var http = new HttpClient { BaseAddress = agent.BaseUri };
        using var registered = await RegisterAsync(http, $$$"""
            {"service_name":"orders","host":"127.0.0.1","port":{{{target.BaseUri.Port}}},
             "check":{"kind":"http","http":"/health","interval":"200ms","timeout":"2s"}}
            """);
        Assert.True(registered.IsSuccessStatusCode);

        var id = $"orders-127.0.0.1-{target.BaseUri.Port}";
        var passing = await Eventually.UntilAsync(() => http.GetFromJsonAsync<JsonElement>($"/service-discovery/instances/{id}"),
            details => details.GetProperty("latest_output").GetString()!.Contains("healthy", StringComparison.Ordinal), "the first passing probe");
        Assert.Equal("passing", passing.GetProperty("instance").GetProperty("status").GetString());

        await target.StopAsync();

        var critical = await Eventually.UntilAsync(() => InstancesAsync(http, "orders"),
            list => list[0].GetProperty("status").GetString() == "critical", "the instance to turn critical");
        Assert.Contains("HTTP GET", critical[0].GetProperty("output").GetString(), StringComparison.Ordinal);
        using var discover = await http.GetAsync("/service-discovery/discover/orders");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, discover.StatusCode);
    }

    [Fact]
    public async Task KillNine_RestartOnSameDataDir_EveryRegistrationIsThere()
    {
        long index;
        await using (var agent = await AgentProcess.StartAsync("--data-dir", _dataDir))
        {
            using var http = new HttpClient { BaseAddress = agent.BaseUri };
            for (var i = 0; i < 50; i++)
            {
                using var r = await RegisterAsync(http, $$"""{"service_name":"svc-{{i % 5}}","host":"10.0.0.{{i}}","port":80,"tags":["t{{i}}"],"ttl":"10m"}""");
                Assert.True(r.IsSuccessStatusCode);
            }
            using var gone = await http.DeleteAsync("/service-discovery/instances/svc-0-10.0.0.0-80");
            Assert.True(gone.IsSuccessStatusCode);
            index = (await http.GetFromJsonAsync<JsonElement>("/health")).GetProperty("index").GetInt64();
            await agent.KillAsync();
        }

        await using var restarted = await AgentProcess.StartAsync("--data-dir", _dataDir);
        using var again = new HttpClient { BaseAddress = restarted.BaseUri };
        var services = await again.GetFromJsonAsync<JsonElement>("/service-discovery/services");
        Assert.Equal(5, services.GetProperty("total").GetInt32());
        Assert.Equal(49, services.GetProperty("services").EnumerateArray().Sum(s => s.GetProperty("instances").GetInt32()));
        Assert.Equal(index, (await again.GetFromJsonAsync<JsonElement>("/health")).GetProperty("index").GetInt64());
        var svc3 = await InstancesAsync(again, "svc-3");
        Assert.Contains(svc3.EnumerateArray(), i => i.GetProperty("tags")[0].GetString() == "t3");
    }

    [Fact]
    public async Task SecondAgentOnSameDataDir_ExitsWithOneLine()
    {
        await using var first = await AgentProcess.StartAsync("--data-dir", _dataDir);

        var second = await ProcessRunner.RunCliAsync("agent", "--port", "0", "--data-dir", _dataDir);

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("in use by another Switchboard agent", second.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortInUse_ExitsWithOneLine()
    {
        await using var first = await AgentProcess.StartAsync("--dev");

        var second = await ProcessRunner.RunCliAsync("agent", "--dev", "--port", first.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, second.ExitCode);
        var line = Assert.Single(second.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("already in use", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--bind", "not-an-ip")]
    [InlineData("--default-ttl", "forever")]
    [InlineData("--max-connections", "0")]
    [InlineData("--max-conns-per-client", "-1")]
    public async Task BadAgentArguments_ExitTwoWithOneLine(string option, string value)
    {
        var result = await ProcessRunner.RunCliAsync("agent", "--dev", option, value);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("switchboard: ", line, StringComparison.Ordinal);
        Assert.Contains(option, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidLimitInConfiguration_ExitsOneNamingIt()
    {
        var result = await AgentProcess.RunToExitAsync(["--dev"], new Dictionary<string, string> { ["Switchboard__Limits__EventBacklog"] = "0" });

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("switchboard: invalid configuration:", line, StringComparison.Ordinal);
        Assert.Contains("EventBacklog", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0", false, true)]
    [InlineData("0.0.0.0", true, false)]
    [InlineData("127.0.0.1", false, false)]
    public async Task BeyondLoopbackWithAclsOff_OneLoudWarningLine(string bind, bool acl, bool warns)
    {
        await using var agent = await AgentProcess.StartAsync(["--dev", "--bind", bind], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string> { ["Switchboard__Acl__Enabled"] = acl ? "true" : "false" },
        });
        // The warning is written on stdout just before the "listening on" line the start waited for.

        var warnings = agent.Lines.Where(l => l.Contains("WARNING: listening on", StringComparison.Ordinal)).ToList();
        Assert.Equal(warns ? 1 : 0, warnings.Count);
        if (warns)
            Assert.Contains("with ACLs off: anyone who reaches this port can register, deregister and read every service", warnings[0], StringComparison.Ordinal);
    }
}

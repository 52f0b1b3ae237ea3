using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.Cli.Tests.Consul;

/// <summary>One catalog behind both APIs, seen from the real agent and the real CLI.</summary>
public sealed class ConsulCliTests
{
    private static async Task<ProcessResult> Sb(ServiceProcess agent, params string[] args)
        => await ProcessRunner.RunCliAsync([.. args, "--registry", agent.BaseUri.ToString()]);

    [Fact]
    public async Task ConsulRegistered_ShownByCli_AndCliRegistered_FoundThroughConsul()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");
        using var http = new HttpClient { BaseAddress = agent.BaseUri };

        using var registered = await http.PutAsync("/v1/agent/service/register", new StringContent(
            """{"ID":"billing-1","Name":"Billing_Api","Address":"10.1.2.3","Port":9000,"Tags":["api"],"Check":{"TTL":"30s","Status":"passing"}}""",
            Encoding.UTF8, "application/json"));
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());

        var instances = await Sb(agent, "instances", "billing-api", "--json");
        Assert.Equal(0, instances.ExitCode);
        Assert.Equal("billing-1", JsonDocument.Parse(instances.Stdout).RootElement[0].GetProperty("instance_id").GetString());
        var discover = await Sb(agent, "discover", "billing-api");
        Assert.StartsWith("http://10.1.2.3:9000", discover.Stdout, StringComparison.Ordinal);

        var cli = await Sb(agent, "register", "--name", "orders", "--host", "10.0.0.9", "--port", "80", "--ttl", "0");
        Assert.Equal(0, cli.ExitCode);
        var entries = await http.GetFromJsonAsync<JsonElement>("/v1/health/service/orders?passing");
        Assert.Equal(80, entries[0].GetProperty("Service").GetProperty("Port").GetInt32());
        var services = await http.GetFromJsonAsync<JsonElement>("/v1/catalog/services");
        Assert.Equal(["billing-api", "orders"], services.EnumerateObject().Select(p => p.Name));
    }
}

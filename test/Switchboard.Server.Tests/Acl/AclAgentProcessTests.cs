using System.Net;
using System.Text;

namespace Switchboard.Server.Tests.Acl;

/// <summary>The real agent process with ACLs on and default deny, provisioned with an initial management token.</summary>
public sealed class AclAgentProcessTests
{
    private const string Management = "3f9a7c55-1d2e-4b6a-8c0f-5e4d3c2b1a09";

    [Fact]
    public async Task DefaultDeny_AnonymousRefused_InitialManagementTokenAllowed()
    {
        await using var agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string>
            {
                ["Switchboard__Acl__Enabled"] = "true",
                ["Switchboard__Acl__DefaultPolicy"] = "deny",
                ["Switchboard__Acl__InitialManagementToken"] = Management,
            },
            WriteOutputOnDispose = true,
        });
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = agent.BaseUri };
        const string body = """{"service_name":"orders","host":"127.0.0.1","port":7001}""";

        using (var anonymous = await http.PostAsync("/service-discovery/register", new StringContent(body, Encoding.UTF8, "application/json"), ct))
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        using (var consul = await http.PutAsync("/v1/agent/service/register", new StringContent("""{"Name":"orders","Port":7002}""", Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, consul.StatusCode);
            Assert.Contains("lacks permission 'service:write' on \"orders\"", await consul.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/service-discovery/register") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Consul-Token", Management);
        using (var managed = await http.SendAsync(request, ct))
            Assert.Equal(HttpStatusCode.Created, managed.StatusCode);
        using (var read = await http.GetAsync("/service-discovery/services", ct))
            Assert.Contains("\"total\":0", await read.Content.ReadAsStringAsync(ct), StringComparison.Ordinal); // anonymous reads nothing
        Assert.DoesNotContain(agent.Lines, l => l.Contains(Management, StringComparison.Ordinal)); // the secret is never logged
    }
}

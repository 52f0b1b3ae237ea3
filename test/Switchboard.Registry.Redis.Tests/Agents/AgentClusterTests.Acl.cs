using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>Two real agents with ACLs on over one real redis-server: tokens and policies made on one work on the other.</summary>
public sealed partial class AgentClusterTests
{
    private async Task<ServiceProcess> StartAclAgentAsync(string nodeId)
    {
        var agent = await RedisAgent.StartAsync(nodeId, ["--store", "redis", "--redis", _redis.ConnectionString, "--redis-namespace", _ns, "--acl", "--acl-default-policy", "deny"]);
        _agents.Add(agent);
        return agent;
    }

    private static async Task<HttpResponseMessage> SendAsync(ServiceProcess agent, HttpMethod method, string path, string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (token is not null)
            request.Headers.Add("X-Consul-Token", token);
        return await agent.Client.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> JsonAsync(ServiceProcess agent, HttpMethod method, string path, string? token, string? body = null)
    {
        using var response = await SendAsync(agent, method, path, token, body);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} on {agent.Name}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<HttpStatusCode> StatusAsync(ServiceProcess agent, string path, string token)
    {
        using var response = await SendAsync(agent, HttpMethod.Get, path, token);
        return response.StatusCode;
    }

    [Fact]
    public async Task Acl_PolicyAndTokenMadeOnA_UsableOnB_DeletedOnA_RefusedOnB()
    {
        var a = await StartAclAgentAsync("a");
        var b = await StartAclAgentAsync("b");

        var management = (await JsonAsync(a, HttpMethod.Put, "/v1/acl/bootstrap", null)).GetProperty("SecretID").GetString()!;
        await JsonAsync(a, HttpMethod.Put, "/v1/acl/policy", management, """{"Name":"orders-writer","Rules":"{\"service\":{\"orders\":{\"policy\":\"write\"}}}"}""");
        var token = await JsonAsync(a, HttpMethod.Put, "/v1/acl/token", management, """{"Description":"orders","Policies":[{"Name":"orders-writer"}]}""");
        var (accessor, secret) = (token.GetProperty("AccessorID").GetString(), token.GetProperty("SecretID").GetString()!);

        await Eventually.TrueAsync(async () => await StatusAsync(b, "/v1/acl/token/self", secret) == HttpStatusCode.OK, "b knows the token made on a");
        Assert.Equal(accessor, (await JsonAsync(b, HttpMethod.Get, "/v1/acl/token/self", secret)).GetProperty("AccessorID").GetString());
        Assert.Equal("orders-writer", (await JsonAsync(b, HttpMethod.Get, "/v1/acl/policy/name/orders-writer", management)).GetProperty("Name").GetString());
        using (var second = await SendAsync(b, HttpMethod.Put, "/v1/acl/bootstrap", null))
            Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode); // bootstrapped once for every node
        using (var refused = await SendAsync(b, HttpMethod.Put, "/v1/acl/policy", secret, """{"Name":"sneaky"}"""))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        await JsonAsync(a, HttpMethod.Delete, $"/v1/acl/token/{accessor}", management);
        await Eventually.TrueAsync(async () => await StatusAsync(b, "/v1/acl/token/self", secret) == HttpStatusCode.Forbidden, "b forgets the token deleted on a");
    }
}

using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.Ui.Tests;

/// <summary>What the tests do to the agent through its HTTP API (the same calls any client makes).</summary>
public sealed class AgentApi(ServiceProcess agent, string? token = null)
{
    private HttpClient Http => agent.Client;

    private HttpRequestMessage Request(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(agent.BaseUri, path));
        if (token is not null)
            request.Headers.Add("X-Consul-Token", token);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return request;
    }

    public async Task<string> SendAsync(HttpMethod method, string path, string? json = null, HttpStatusCode? expect = null)
    {
        using var response = await Http.SendAsync(Request(method, path, json), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (expect is { } status ? response.StatusCode != status : !response.IsSuccessStatusCode)
            throw new Xunit.Sdk.XunitException($"{method} {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Registers an instance from a native registration body; returns its instance id.</summary>
    public async Task<string> RegisterAsync(object registration)
    {
        var body = await SendAsync(HttpMethod.Post, "/service-discovery/register", JsonSerializer.Serialize(registration));
        return JsonDocument.Parse(body).RootElement.GetProperty("instance_id").GetString()!;
    }

    public Task HeartbeatAsync(string instanceId, string status, string output)
        => SendAsync(HttpMethod.Put, $"/service-discovery/instances/{Uri.EscapeDataString(instanceId)}/heartbeat", JsonSerializer.Serialize(new { status, output }));

    public async Task<HttpStatusCode> InstanceStatusCodeAsync(string instanceId)
    {
        using var response = await Http.SendAsync(Request(HttpMethod.Get, $"/service-discovery/instances/{Uri.EscapeDataString(instanceId)}"), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>Creates a policy with <paramref name="rules"/> and a token holding it; returns the token's secret.</summary>
    public async Task<string> CreateTokenAsync(string policy, string rules) => (await CreateTokenWithAccessorAsync(policy, rules)).Secret;

    /// <summary>Creates a policy with <paramref name="rules"/> and a token holding it; returns the token's accessor id and secret.</summary>
    public async Task<(string Accessor, string Secret)> CreateTokenWithAccessorAsync(string policy, string rules)
    {
        await SendAsync(HttpMethod.Put, "/v1/acl/policy", JsonSerializer.Serialize(new { Name = policy, Rules = rules }));
        var created = JsonDocument.Parse(await SendAsync(HttpMethod.Put, "/v1/acl/token", JsonSerializer.Serialize(new { Description = policy, Policies = new[] { new { Name = policy } } }))).RootElement;
        return (created.GetProperty("AccessorID").GetString()!, created.GetProperty("SecretID").GetString()!);
    }
}

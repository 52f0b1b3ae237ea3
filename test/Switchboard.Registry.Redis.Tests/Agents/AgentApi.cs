using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>The native API calls the agent tests make, with the answer checked.</summary>
internal static class AgentApi
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>POSTs a registration of <paramref name="id"/> (service <c>orders</c>) and returns the raw answer.</summary>
    public static Task<HttpResponseMessage> PostRegistrationAsync(this ServiceProcess agent, string id, string ttl = "60s", object? check = null)
        => agent.Client.PostAsJsonAsync("/service-discovery/register", new Dictionary<string, object?>
        {
            ["service_name"] = "orders",
            ["instance_id"] = id,
            ["host"] = "127.0.0.1",
            ["port"] = 9000,
            ["ttl"] = ttl,
            ["check"] = check,
        }, Ct);

    /// <summary>Registers <paramref name="id"/> and fails the test unless the agent accepts it.</summary>
    public static async Task RegisterAsync(this ServiceProcess agent, string id, string ttl = "60s", object? check = null)
    {
        using var response = await agent.PostRegistrationAsync(id, ttl, check);
        Assert.True(response.IsSuccessStatusCode, $"register {id} on {agent.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    /// <summary>The instance as <c>GET /instances/{id}</c> shows it, or null when the agent does not know it.</summary>
    public static async Task<JsonElement?> InstanceAsync(this ServiceProcess agent, string id)
    {
        using var response = await agent.Client.GetAsync($"/service-discovery/instances/{id}", Ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("instance");
    }

    /// <summary>The ids of the <c>orders</c> instances the agent holds.</summary>
    public static async Task<HashSet<string>> InstanceIdsAsync(this ServiceProcess agent)
    {
        using var response = await agent.Client.GetAsync("/service-discovery/services/orders/instances", Ct);
        response.EnsureSuccessStatusCode();
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateArray().Select(i => i.GetProperty("instance_id").GetString()!)];
    }

    /// <summary>The instance id <c>GET /discover/orders</c> answers, or null when it answers no instance.</summary>
    public static async Task<string?> DiscoverAsync(this ServiceProcess agent)
    {
        using var response = await agent.Client.GetAsync("/service-discovery/discover/orders", Ct);
        if (!response.IsSuccessStatusCode)
            return null;
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("instance_id").GetString();
    }

    /// <summary>The <c>status</c> of the agent's <c>/health</c> (<c>healthy</c>, <c>degraded</c>).</summary>
    public static async Task<string> HealthStatusAsync(this ServiceProcess agent)
    {
        using var response = await agent.Client.GetAsync("/health", Ct);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("status").GetString()!;
    }
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.LoadHarness;

/// <summary>Fills an agent with registrations over its HTTP API.</summary>
internal static class RegistryLoad
{
    public static string Body(string service, string id, int i, string ttl = "10m")
        => $$"""{"service_name":"{{service}}","instance_id":"{{id}}","host":"10.{{(i >> 16) & 255}}.{{(i >> 8) & 255}}.{{i & 255}}","port":8080,"tags":["api","v1"],"metadata":{"zone":"a"},"version":"1.0.0","ttl":"{{ttl}}"}""";

    /// <summary>Registers <paramref name="count"/> instances, 10 per service, <paramref name="parallel"/> at a time.</summary>
    public static async Task RegisterAsync(HttpClient http, int count, string prefix, string ttl = "10m", int parallel = 32)
    {
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            using var content = new StringContent(Body($"{prefix}-{i / 10}", $"{prefix}-{i}", i, ttl), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("/service-discovery/register", content, ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"registration {i} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        });
    }

    public static async Task<int> InstanceCountAsync(HttpClient http)
        => (await http.GetFromJsonAsync<JsonElement>("/health")).GetProperty("service_discovery").GetProperty("total_instances").GetInt32();

    /// <summary>Writes a wrk Lua script to <paramref name="dir"/> and returns its path.</summary>
    public static string WriteLua(string dir, string name, string script)
    {
        var path = Path.Combine(dir, $"{name}.lua");
        File.WriteAllText(path, script);
        return path;
    }

    public static string HeartbeatScript(string dir, string prefix, int count) => WriteLua(dir, "heartbeat", $$"""
        counter = 0
        request = function()
          counter = counter + 1
          return wrk.format("PUT", "/service-discovery/instances/{{prefix}}-" .. (counter % {{count}}) .. "/heartbeat")
        end
        """);

    /// <summary>Registrations of new instances (ids <c>{prefix}{thread}-{n}</c>); a run with a prefix of its own registers only instances no earlier run made, so every one is a change. With <paramref name="token"/>, each carries it in <c>X-Consul-Token</c>.</summary>
    public static string RegisterScript(string dir, string prefix = "w", string? token = null) => WriteLua(dir, $"register-{prefix}", """
        prefix = "PREFIX"
        counter = 0
        local threads = 0
        setup = function(thread)
          thread:set("tid", threads)
          threads = threads + 1
        end
        request = function()
          counter = counter + 1
          local body = '{"service_name":"reg-' .. (counter % 1000) .. '","instance_id":"' .. prefix .. tid .. '-' .. counter .. '","host":"10.0.0.1","port":' .. (1 + counter % 60000) .. ',"ttl":"10m"}'
          return wrk.format("POST", "/service-discovery/register", {["Content-Type"] = "application/json", ["X-Consul-Token"] = "TOKEN"}, body)
        end
        """.Replace("PREFIX", prefix, StringComparison.Ordinal).Replace("TOKEN", token ?? "", StringComparison.Ordinal));
}

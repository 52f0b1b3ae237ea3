using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace Switchboard.LoadHarness;

/// <summary>
/// The floor of a heartbeat acknowledged by Redis: bare Kestrel that answers each heartbeat's <c>PUT</c> only after Redis
/// answered one <c>HSET</c> of the instance's lease through StackExchange.Redis (the client the agent uses, which pipelines
/// concurrent commands on one connection). No registry, no script, no check of the instance: less than any registry can do.
/// </summary>
internal static class BareRedisHeartbeat
{
    /// <summary>Serves heartbeats against the redis-server at <paramref name="connection"/>, in keys of <paramref name="ns"/>.</summary>
    public static async Task<int> RunAsync(string connection, string ns)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connection);
        var db = redis.GetDatabase();
        var app = Baseline.CreateApp();
        var body = "{\"ok\":true}"u8.ToArray();
        app.MapPut("/service-discovery/instances/{id}/heartbeat", async (string id) =>
        {
            var lease = DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            await db.HashSetAsync($"{ns}:instance:{id}", "lease", lease);
            return Results.Bytes(body, "application/json");
        });
        return await Baseline.ServeAsync(app, "bare-redis-heartbeat");
    }
}

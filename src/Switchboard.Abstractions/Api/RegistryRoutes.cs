namespace Switchboard.Api;

/// <summary>The native registry API's routes and headers, shared by the server, the SDK and the CLI.</summary>
public static class RegistryRoutes
{
    /// <summary>The prefix of every native route.</summary>
    public const string Prefix = "/service-discovery";

    /// <summary><c>POST</c>: register or update an instance.</summary>
    public const string Register = Prefix + "/register";

    /// <summary><c>PUT</c>: renew an instance's lease (optionally reporting a status).</summary>
    public const string HeartbeatTemplate = Prefix + "/instances/{instance_id}/heartbeat";

    /// <summary><c>DELETE</c>: remove an instance.</summary>
    public const string InstanceTemplate = Prefix + "/instances/{instance_id}";

    /// <summary><c>PUT</c>: start or end an instance's maintenance (<c>{"enable": true, "reason": "..."}</c>).</summary>
    public const string MaintenanceTemplate = Prefix + "/instances/{instance_id}/maintenance";

    /// <summary><c>GET</c>: one healthy instance, round-robin.</summary>
    public const string DiscoverTemplate = Prefix + "/discover/{service_name}";

    /// <summary><c>GET</c>: every service.</summary>
    public const string Services = Prefix + "/services";

    /// <summary><c>GET</c>: the services with at least one healthy instance.</summary>
    public const string HealthyServices = Prefix + "/services/healthy";

    /// <summary><c>GET</c>: the services that have an instance carrying a tag.</summary>
    public const string ServicesByTagTemplate = Prefix + "/services/by-tag/{tag}";

    /// <summary><c>GET</c>: the instances of one service, filtered; a blocking query with <c>?index=&amp;wait=</c>.</summary>
    public const string InstancesTemplate = Prefix + "/services/{service_name}/instances";

    /// <summary><c>GET</c>: the aggregated health of every service.</summary>
    public const string AggregatedHealth = Prefix + "/health/aggregated";

    /// <summary><c>GET</c>: a server-sent-events stream of catalog changes.</summary>
    public const string Events = Prefix + "/events";

    /// <summary><c>GET</c>: list key/value entries (<c>?prefix=&amp;keys=true&amp;separator=&amp;index=&amp;wait=</c>).</summary>
    public const string KeyValues = Prefix + "/kv";

    /// <summary><c>GET</c>, <c>PUT</c>, <c>DELETE</c>: one key/value entry (<c>?raw</c>, <c>?cas=&amp;flags=</c>, <c>?recurse=true&amp;cas=</c>).</summary>
    public const string KeyValueTemplate = Prefix + "/kv/{**key}";

    /// <summary><c>GET</c>: the registry's own health.</summary>
    public const string Health = "/health";

    /// <summary>The response header carrying the catalog index a response reflects (on the key/value routes: the key/value index).</summary>
    public const string IndexHeader = "X-Switchboard-Index";

    /// <summary>The route for the heartbeat of <paramref name="instanceId"/>.</summary>
    public static string Heartbeat(string instanceId) => $"{Prefix}/instances/{Uri.EscapeDataString(instanceId)}/heartbeat";

    /// <summary>The route of <paramref name="instanceId"/>.</summary>
    public static string Instance(string instanceId) => $"{Prefix}/instances/{Uri.EscapeDataString(instanceId)}";

    /// <summary>The discover route of <paramref name="serviceName"/>.</summary>
    public static string Discover(string serviceName) => $"{Prefix}/discover/{Uri.EscapeDataString(serviceName)}";

    /// <summary>The instances route of <paramref name="serviceName"/>.</summary>
    public static string Instances(string serviceName) => $"{Prefix}/services/{Uri.EscapeDataString(serviceName)}/instances";

    /// <summary>The route of key <paramref name="key"/> (each <c>/</c>-separated segment escaped).</summary>
    public static string KeyValue(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return $"{Prefix}/kv/{string.Join('/', (key.StartsWith('/') ? key[1..] : key).Split('/').Select(Uri.EscapeDataString))}";
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Hosting;
using Switchboard.Registry.Redis;
using Switchboard.Registry.Storage;

namespace Switchboard.Cli.Agent;

/// <summary>Chooses the agent's store from the command line, then <c>Switchboard:Store:Kind</c>, and describes it for the start-up line.</summary>
internal static class AgentStores
{
    public const string KindKey = "Switchboard:Store:Kind";

    public static readonly string[] Kinds = ["embedded", "memory", "redis"];

    public static void Use(ISwitchboardRegistryBuilder registry, AgentSettings settings, IConfiguration configuration)
    {
        var kind = settings.Store
            ?? (settings.Dev ? "memory" : null)
            ?? (settings.Redis is not null ? "redis" : null)
            ?? configuration[KindKey]
            ?? "embedded";
        switch (kind.ToLowerInvariant())
        {
            case "memory":
                registry.UseInMemoryStore();
                break;
            case "redis":
                registry.UseRedisStore(o =>
                {
                    if (settings.Redis is not null)
                        o.ConnectionString = settings.Redis;
                    if (settings.RedisNamespace is not null)
                        o.Namespace = settings.RedisNamespace;
                    if (settings.RedisCa is not null)
                        o.TrustedCaFile = settings.RedisCa;
                    if (settings.Hybrid)
                        o.Hybrid = true;
                });
                break;
            case "embedded":
                registry.UseEmbeddedStore(settings.DataDirectory);
                if (settings.Recover)
                    registry.Services.Configure<EmbeddedStoreOptions>(o => o.Recover = true);
                break;
            default:
                throw new CliException($"{KindKey} must be one of {string.Join(", ", Kinds)}, not '{kind}'", CliErrors.Usage);
        }
    }

    public static string Describe(IRegistryStore store) => store switch
    {
        EmbeddedRegistryStore embedded => $"embedded at {embedded.DataDirectory}",
        RedisRegistryStore redis => $"redis at {redis.Endpoints}, namespace {redis.Namespace}, node {redis.NodeId}"
            + (redis.Hybrid ? ", hybrid" : "")
            + (redis.IsOnline ? "" : ", degraded: Redis unreachable, serving from memory"),
        _ => store.Kind,
    };
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Hosting;
using Switchboard.Registry.KeyValues;
using Switchboard.Registry.Redis;
using Switchboard.Registry.Redis.Acl;
using Switchboard.Registry.Redis.KeyValues;
using Switchboard.Registry.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs the registry as one node of several over one Redis.</summary>
public static class RedisRegistryBuilderExtensions
{
    /// <summary>
    /// Makes Redis the catalog's (and the ACL state's and the key/value store's) shared store, with settings bound from <c>Switchboard:Store:Redis</c> and then
    /// <paramref name="configure"/>.
    /// </summary>
    public static ISwitchboardRegistryBuilder UseRedisStore(this ISwitchboardRegistryBuilder builder, Action<RedisStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<RedisStoreOptions>().BindConfiguration(RedisStoreOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisStoreOptions>, RedisStoreOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisStoreOptions>, RedisStoreOptionsValidator>());
        if (configure is not null)
            services.Configure(configure);
        services.RemoveAll<IRegistryStore>();
        services.TryAddSingleton<RedisRegistryStore>();
        services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<RedisRegistryStore>());
        // The ACL state is shared too (read only when ACLs are on).
        services.RemoveAll<IAclStore>();
        services.TryAddSingleton<RedisAclStore>();
        services.AddSingleton<IAclStore>(sp => sp.GetRequiredService<RedisAclStore>());
        // And the key/value store (its own keys and channel in the namespace).
        services.RemoveAll<IKeyValueStore>();
        services.TryAddSingleton<RedisKeyValueStore>();
        services.AddSingleton<IKeyValueStore>(sp => sp.GetRequiredService<RedisKeyValueStore>());
        return builder;
    }

    /// <summary>Makes Redis at <paramref name="connectionString"/> (StackExchange.Redis syntax) the catalog's shared store.</summary>
    public static ISwitchboardRegistryBuilder UseRedisStore(this ISwitchboardRegistryBuilder builder, string connectionString, string? keyNamespace = null, bool? hybrid = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseRedisStore(o =>
        {
            o.ConnectionString = connectionString;
            if (keyNamespace is not null)
                o.Namespace = keyNamespace;
            if (hybrid is { } h)
                o.Hybrid = h;
        });
    }
}

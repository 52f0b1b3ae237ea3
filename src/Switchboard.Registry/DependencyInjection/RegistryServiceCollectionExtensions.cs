using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.DependencyInjection;
using Switchboard.Registry.Diagnostics;
using Switchboard.Registry.Health;
using Switchboard.Registry.Hosting;
using Switchboard.Registry.KeyValues;
using Switchboard.Registry.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Switchboard catalog engine to a service collection.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the catalog, its expiry sweep and health checks, bound from <c>Switchboard:Registry</c>, with the
    /// durable embedded store (<c>Switchboard:Store:Embedded</c>) unless another store is chosen.
    /// </summary>
    public static ISwitchboardRegistryBuilder AddSwitchboardCatalog(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<RegistryOptions>().BindConfiguration(RegistryOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, RegistryOptionsValidator>());
        services.AddOptionsWithValidateOnStart<EmbeddedStoreOptions>().BindConfiguration(EmbeddedStoreOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddedStoreOptions>, EmbeddedStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRegistryStore, EmbeddedRegistryStore>();
        services.TryAddSingleton<ServiceCatalog>();
        services.TryAddSingleton<IHealthProbe>(sp => new NetworkHealthProbe(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ServiceCatalog>().CheckTargets));
        services.TryAddSingleton<HealthCheckScheduler>();
        services.AddHostedService<RegistryHostedService>();
        services.AddMetrics();
        services.AddHostedService<CatalogGauges>();
        services.AddHostedService<CatalogActivityLog>();
        AddAcl(services);
        AddKeyValues(services);
        return new SwitchboardRegistryBuilder(services);
    }

    /// <summary>Keeps the catalog, the ACL state and the key/value store in memory only: nothing survives a restart (<c>switchboard agent --dev</c>, tests).</summary>
    public static ISwitchboardRegistryBuilder UseInMemoryStore(this ISwitchboardRegistryBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IRegistryStore>();
        builder.Services.AddSingleton<IRegistryStore, InMemoryRegistryStore>();
        builder.Services.RemoveAll<IAclStore>();
        builder.Services.AddSingleton<IAclStore, InMemoryAclStore>();
        builder.Services.RemoveAll<IKeyValueStore>();
        builder.Services.AddSingleton<IKeyValueStore, InMemoryKeyValueStore>();
        return builder;
    }

    /// <summary>Makes the catalog durable in <paramref name="dataDirectory"/> (snapshot + journal), the key/value store in its <c>kv/</c> folder.</summary>
    public static ISwitchboardRegistryBuilder UseEmbeddedStore(this ISwitchboardRegistryBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        builder.Services.RemoveAll<IRegistryStore>();
        builder.Services.AddSingleton<IRegistryStore, EmbeddedRegistryStore>();
        builder.Services.RemoveAll<IAclStore>();
        builder.Services.AddSingleton<IAclStore, EmbeddedAclStore>();
        builder.Services.RemoveAll<IKeyValueStore>();
        builder.Services.AddSingleton<IKeyValueStore, EmbeddedKeyValueStore>();
        builder.Services.Configure<EmbeddedStoreOptions>(o => o.DataDirectory = dataDirectory);
        return builder;
    }

    /// <summary>
    /// The ACL engine, bound from <c>Switchboard:Acl</c> (off by default), its state in <c>acl.json</c> beside the embedded
    /// store's files unless the store choice replaces <see cref="IAclStore"/>. While off, nothing is read or written.
    /// </summary>
    private static void AddAcl(IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AclOptions>().BindConfiguration(AclOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AclOptions>, AclOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AclOptions>, AclOptionsValidator>());
        services.TryAddSingleton<IAclStore, EmbeddedAclStore>();
        services.TryAddSingleton<AclService>();
        services.AddHostedService<AclHostedService>();
    }

    /// <summary>
    /// The key/value store, bound from <c>Switchboard:KeyValues</c>: embedded in the data directory's <c>kv/</c> folder unless
    /// the store choice replaces <see cref="IKeyValueStore"/> (in memory with <see cref="UseInMemoryStore"/>; a shared store's
    /// own). Loaded at start by its hosted service.
    /// </summary>
    private static void AddKeyValues(IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<KeyValueOptions>().BindConfiguration(KeyValueOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyValueOptions>, KeyValueOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyValueOptions>, KeyValueSecretsPrefixValidator>());
        services.TryAddSingleton<IKeyValueStore, EmbeddedKeyValueStore>();
        services.TryAddSingleton<KeyValueService>();
        services.AddHostedService<KeyValueHostedService>();
    }
}

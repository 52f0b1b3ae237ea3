using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;

namespace Switchboard.Registry.Redis.Tests;

/// <summary>One registry node in process: a catalog over its own Redis store (own connection), on a shared fake clock.</summary>
public sealed class RedisNode : IAsyncDisposable
{
    private RedisNode(RedisRegistryStore store, ServiceCatalog catalog, ListLogger<RedisRegistryStore> log)
    {
        Store = store;
        Catalog = catalog;
        Log = log;
    }

    public RedisRegistryStore Store { get; }

    public ServiceCatalog Catalog { get; }

    public ListLogger<RedisRegistryStore> Log { get; }

    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static RedisNode Create(string connectionString, FakeTimeProvider time, string nodeId, string ns, bool hybrid = false, string? trustedCaFile = null)
    {
        var log = new ListLogger<RedisRegistryStore>();
        var store = new RedisRegistryStore(Options.Create(new RedisStoreOptions
        {
            ConnectionString = connectionString,
            NodeId = nodeId,
            Namespace = ns,
            Hybrid = hybrid,
            TrustedCaFile = trustedCaFile,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            ExpiryGraceAfterOutage = TimeSpan.FromSeconds(30),
        }), time, log);
        var catalog = new ServiceCatalog(store, time, Options.Create(new RegistryOptions { RestoreGracePeriod = TimeSpan.FromSeconds(30) }), NullLogger<ServiceCatalog>.Instance);
        return new RedisNode(store, catalog, log);
    }

    public static async Task<RedisNode> StartAsync(string connectionString, FakeTimeProvider time, string nodeId, string ns, bool hybrid = false, string? trustedCaFile = null)
    {
        var node = Create(connectionString, time, nodeId, ns, hybrid, trustedCaFile);
        try
        {
            await node.Catalog.LoadAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    /// <summary>
    /// Registers while driving the store's ticks, as its timer would: on the fake clock nothing else notices a change
    /// message the channel lost (a failover drops the subscription), and the write is reached in the shared order only by
    /// the reconciliation a tick starts.
    /// </summary>
    public async Task<RegisterResult> RegisterWhileTickingAsync(ServiceInstance instance, CancellationToken cancellationToken)
    {
        var register = Catalog.RegisterAsync(instance, cancellationToken);
        while (!register.IsCompleted)
        {
            await Store.TickAsync(cancellationToken);
            await Task.WhenAny(register, Task.Delay(50, cancellationToken));
        }
        return await register;
    }

    public static ServiceInstance Instance(string service = "orders", int port = 8080, TimeSpan? ttl = null, HealthCheckSpec? check = null, string? id = null)
    {
        var errors = RegistrationValidator.Validate(new ServiceRegistration
        {
            ServiceName = service,
            InstanceId = id,
            Host = "10.0.0.1",
            Port = port,
            Ttl = ttl ?? TimeSpan.Zero,
            Check = check,
        }, null, out var instance);
        Assert.Empty(errors);
        return instance!;
    }
}

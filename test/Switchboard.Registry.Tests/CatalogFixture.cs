using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests;

/// <summary>A catalog on fake time with helpers to build valid registrations.</summary>
internal sealed class CatalogFixture
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public RegistryOptions Options { get; } = new() { RestoreGracePeriod = TimeSpan.FromSeconds(30) };

    public ServiceCatalog Catalog { get; }

    public CatalogFixture(IRegistryStore? store = null)
    {
        Catalog = new ServiceCatalog(store ?? new InMemoryRegistryStore(), Time, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<ServiceCatalog>.Instance);
    }

    public static ServiceInstance Instance(string service = "orders", int port = 8080, TimeSpan? ttl = null, HealthCheckSpec? check = null,
        string[]? tags = null, string? version = null, Dictionary<string, string>? metadata = null, string host = "10.0.0.1")
    {
        var errors = RegistrationValidator.Validate(new ServiceRegistration
        {
            ServiceName = service,
            Host = host,
            Port = port,
            Ttl = ttl ?? TimeSpan.Zero,
            Check = check,
            Tags = tags,
            Version = version,
            Metadata = metadata,
        }, null, out var instance);
        Assert.Empty(errors);
        return instance!;
    }
}

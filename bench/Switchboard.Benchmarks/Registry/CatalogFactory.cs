using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Storage;

namespace Switchboard.Benchmarks.Registry;

/// <summary>Builds an in-memory catalog holding a given number of instances (services of 10 instances each).</summary>
internal static class CatalogFactory
{
    public static async Task<ServiceCatalog> CreateAsync(int instances)
    {
        var catalog = new ServiceCatalog(new InMemoryRegistryStore(), TimeProvider.System, Options.Create(new RegistryOptions()), NullLogger<ServiceCatalog>.Instance);
        await catalog.LoadAsync();
        for (var i = 0; i < instances; i++)
            await catalog.RegisterAsync(Instance($"svc-{i / 10}", i));
        return catalog;
    }

    public static Switchboard.Instances.ServiceInstance Instance(string service, int i)
    {
        RegistrationValidator.Validate(new ServiceRegistration
        {
            ServiceName = service,
            Host = $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}",
            Port = 8080,
            Tags = ["api", "v1"],
            Metadata = new Dictionary<string, string> { ["zone"] = "a" },
            Version = "1.0.0",
        }, TimeSpan.FromMinutes(5), out var instance);
        return instance!;
    }
}


namespace Switchboard.Client.Tests.TestSupport;

internal static class ClientServices
{
    /// <summary>A service provider with the Switchboard client over in-memory configuration; <paramref name="before"/> runs first so its registrations win over the TryAdd defaults.</summary>
    public static ServiceProvider Build(IDictionary<string, string?> configuration, Action<IServiceCollection>? before = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddLogging();
        before?.Invoke(services);
        services.AddSwitchboardCore();
        return services.BuildServiceProvider();
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Client.Calls;

namespace Switchboard.LoadHarness;

/// <summary>The client stacks compared in one run, each built the way its users build it.</summary>
internal static class ClientStacks
{
    /// <summary>The Switchboard client; <paramref name="maxConnectionsPerInstance"/> replaces the default pool size (10, seed 000) when given.</summary>
    public static ServiceProvider Switchboard(Uri registry, bool recordAttempts = false, int? maxConnectionsPerInstance = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Switchboard:ServiceName"] = "bench-caller",
            ["Switchboard:Registries:0"] = registry.ToString(),
        };
        if (maxConnectionsPerInstance is { } max)
            settings["Switchboard:Defaults:MaxConnectionsPerServer"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        var builder = services.AddSwitchboard();
        if (recordAttempts)
            builder.AddServiceMiddleware<AttemptRecorder>();
        return services.BuildServiceProvider();
    }

    public static (ServiceProvider Provider, HttpClient Client) StandardStack(IReadOnlyList<Uri> backends)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < backends.Count; i++)
            settings[$"Services:calls:http:{i}"] = $"{backends[i].Host}:{backends[i].Port}";
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddServiceDiscovery();
        services.AddHttpClient("standard", c => c.BaseAddress = new Uri("http://calls")).AddServiceDiscovery().AddStandardResilienceHandler();
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<IHttpClientFactory>().CreateClient("standard"));
    }

    public static async Task<bool> CallAsync(IServiceClient client) => (await client.GetAsync<string>("calls", "/ping")).Success;

    public static async Task<bool> CallAsync(HttpClient client, Uri url)
    {
        using var response = await client.GetAsync(url);
        await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode;
    }
}

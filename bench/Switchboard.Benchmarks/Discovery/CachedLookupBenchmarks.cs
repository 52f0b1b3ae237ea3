using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Client.Discovery;
using Switchboard.Client.Endpoints;
using Switchboard.Client.LoadBalancing;

namespace Switchboard.Benchmarks.Discovery;

/// <summary>Cost of a lookup answered from the endpoint cache, alone and followed by a power-of-two-choices pick.</summary>
[MemoryDiagnoser]
public class CachedLookupBenchmarks
{
    private ServiceProvider _provider = null!;
    private IServiceDiscovery _discovery = null!;
    private ILoadBalancingPolicy _policy = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Static:bench-service"] = "http://127.0.0.1:5001, http://127.0.0.1:5002, http://127.0.0.1:5003",
        }).Build());
        services.AddLogging();
        services.AddSwitchboardCore();
        _provider = services.BuildServiceProvider();
        _discovery = _provider.GetRequiredService<IServiceDiscovery>();
        _policy = _provider.GetRequiredService<LoadBalancingPolicyProvider>().Get(LoadBalancingPolicies.PowerOfTwoChoices);
        await _discovery.ResolveAsync("bench-service");
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _provider.DisposeAsync().AsTask();

    [Benchmark(Baseline = true)]
    public ValueTask<DiscoveryResult> CachedResolve() => _discovery.ResolveAsync("bench-service");

    [Benchmark]
    public async ValueTask<InstanceEndpoint?> CachedResolveAndPick()
    {
        var result = await _discovery.ResolveAsync("bench-service");
        return _policy.Pick(result.HealthyEndpoints.AsSpan(), result.LoadBalancing);
    }
}

using BenchmarkDotNet.Attributes;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;

namespace Switchboard.Benchmarks.Registry;

/// <summary>
/// Blocking-query wake-up: a waiter parked on one service is woken by a change to that service. Measures the
/// whole cycle (park, change, wake, read the new view). Baseline: the same change with nobody waiting.
/// </summary>
[MemoryDiagnoser]
public class BlockingWakeBenchmarks
{
    private ServiceCatalog _catalog = null!;
    private ServiceInstance[] _alternating = null!;
    private int _flip;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _catalog = await CatalogFactory.CreateAsync(1_000);
        var instance = CatalogFactory.Instance("svc-5", 55);
        _alternating = [instance with { Tags = ["a"] }, instance with { Tags = ["b"] }];
    }

    [Benchmark(Baseline = true)]
    public Task<RegisterResult> ChangeWithoutWaiter() => _catalog.RegisterAsync(_alternating[_flip++ & 1]);

    [Benchmark]
    public async Task<long> ChangeWakesWaiter()
    {
        var index = _catalog.GetService("svc-5")!.Index;
        var wait = _catalog.WaitForServiceAsync("svc-5", index, TimeSpan.FromSeconds(10));
        await _catalog.RegisterAsync(_alternating[_flip++ & 1]);
        return (await wait)!.Index;
    }
}

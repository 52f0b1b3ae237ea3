using BenchmarkDotNet.Attributes;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;

namespace Switchboard.Benchmarks.Registry;

/// <summary>
/// Writes in the engine (in-memory store): a heartbeat (lease renewal, the most frequent write), a re-registration
/// that changes nothing, and a registration that changes a tag (index bump, new view, event). Baseline: heartbeat.
/// </summary>
[MemoryDiagnoser]
public class CatalogWriteBenchmarks
{
    private ServiceCatalog _catalog = null!;
    private ServiceInstance _same = null!;
    private ServiceInstance[] _alternating = null!;
    private int _flip;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _catalog = await CatalogFactory.CreateAsync(10_000);
        _same = CatalogFactory.Instance("svc-3", 35);
        _alternating = [_same with { Tags = ["a"] }, _same with { Tags = ["b"] }];
    }

    [Benchmark(Baseline = true)]
    public Task<HeartbeatResult?> Heartbeat() => _catalog.HeartbeatAsync(_same.InstanceId);

    [Benchmark]
    public Task<RegisterResult> ReRegisterUnchanged() => _catalog.RegisterAsync(_same);

    [Benchmark]
    public Task<RegisterResult> RegisterChanged() => _catalog.RegisterAsync(_alternating[_flip++ & 1]);
}

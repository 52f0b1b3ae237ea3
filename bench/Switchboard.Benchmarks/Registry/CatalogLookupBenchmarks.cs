using BenchmarkDotNet.Attributes;
using Switchboard.Registry.Catalog;

namespace Switchboard.Benchmarks.Registry;

/// <summary>
/// The registry's hot read path: one service of 10 instances looked up and turned into response bytes, with
/// 100 or 100,000 instances registered. Baseline: a plain dictionary lookup of prebuilt bytes (the floor).
/// </summary>
[MemoryDiagnoser]
public class CatalogLookupBenchmarks
{
    private ServiceCatalog _catalog = null!;
    private Dictionary<string, byte[]> _plain = null!;
    private readonly InstanceFilter _tagFilter = new() { Tags = ["api"], Version = "1.0.0" };

    [Params(100, 100_000)]
    public int Registered { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _catalog = await CatalogFactory.CreateAsync(Registered);
        _plain = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["svc-7"] = _catalog.GetService("svc-7")!.ToJson(InstanceFilter.All) };
    }

    [Benchmark(Baseline = true)]
    public byte[] DictionaryOfBytes() => _plain["svc-7"];

    [Benchmark]
    public byte[] CachedInstancesJson() => _catalog.GetService("svc-7")!.ToJson(InstanceFilter.All);

    [Benchmark]
    public byte[] CachedHealthyJson() => _catalog.GetService("svc-7")!.ToJson(InstanceFilter.HealthyOnly);

    [Benchmark]
    public byte[] FilteredJson_TagAndVersion() => _catalog.GetService("svc-7")!.ToJson(_tagFilter);

    [Benchmark]
    public string? DiscoverRoundRobin() => _catalog.PickRoundRobin("svc-7", out _)?.InstanceId;
}

using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Consul;

namespace Switchboard.Benchmarks.Registry;

/// <summary>
/// The cached read answers beside the native hot path: Consul's <c>/v1/health/service</c> (plain, <c>?passing</c>, one
/// tag), <c>/v1/catalog/service</c>, <c>/v1/catalog/services</c>, <c>/v1/agent/services</c>, and the native filtered
/// query (tag + version + healthy), each a lookup of bytes built once per change; one service of 10 instances looked up
/// among 1,000 registered. The <c>Serialized</c> rows build the same Consul answer per call, as every read did before.
/// Baseline: the native unfiltered answer (the path that already ran at bare-Kestrel speed).
/// </summary>
[MemoryDiagnoser]
public class CachedAnswerBenchmarks
{
    private ServiceCatalog _catalog = null!;
    private ConsulAnswers _answers = null!;
    private readonly InstanceFilter _filtered = new() { Tags = ["api"], Version = "1.0.0", Healthy = true };

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _catalog = await CatalogFactory.CreateAsync(1_000);
        _answers = new ConsulAnswers(_catalog, new ConsulViews(new ConsulNodeInfo(Options.Create(new ConsulApiOptions())), _catalog));
    }

    [Benchmark(Baseline = true)]
    public byte[] NativeInstances() => _catalog.GetService("svc-7")!.ToJson(InstanceFilter.All);

    [Benchmark]
    public byte[] NativeFiltered_TagVersionHealthy() => _catalog.GetService("svc-7")!.ToJson(_filtered);

    [Benchmark]
    public byte[] ConsulHealthService() => _answers.HealthService(_catalog.GetService("svc-7")!, passingOnly: false, tag: null);

    [Benchmark]
    public byte[] ConsulHealthService_Passing() => _answers.HealthService(_catalog.GetService("svc-7")!, passingOnly: true, tag: null);

    [Benchmark]
    public byte[] ConsulHealthService_PassingTag() => _answers.HealthService(_catalog.GetService("svc-7")!, passingOnly: true, tag: "v1");

    [Benchmark]
    public byte[] ConsulCatalogService() => _answers.CatalogService(_catalog.GetService("svc-7")!, tag: null);

    [Benchmark]
    public byte[] ConsulCatalogService_Tag() => _answers.CatalogService(_catalog.GetService("svc-7")!, tag: "api");

    [Benchmark]
    public byte[] ConsulCatalogServices() => _answers.CatalogServices();

    [Benchmark]
    public byte[] ConsulAgentServices() => _answers.AgentServicesBytes();

    [Benchmark]
    public byte[] ConsulHealthService_Serialized()
        => ConsulResults.Compact<IReadOnlyList<ConsulServiceEntry>>(_answers.HealthEntries(_catalog.GetService("svc-7")!, true, []), static c => c.IReadOnlyListConsulServiceEntry);

    [Benchmark]
    public byte[] ConsulCatalogService_Serialized()
        => ConsulResults.Compact<IReadOnlyList<ConsulCatalogService>>(_answers.CatalogEntries(_catalog.GetService("svc-7")!, []), static c => c.IReadOnlyListConsulCatalogService);
}

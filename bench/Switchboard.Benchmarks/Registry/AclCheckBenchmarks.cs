using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Catalog;

namespace Switchboard.Benchmarks.Registry;

/// <summary>
/// What ACLs add to the hot read path: resolving a token's secret to its cached authorizer and checking
/// <c>service:read</c>, on top of the cached lookup. Baseline: the lookup with ACLs off.
/// </summary>
[MemoryDiagnoser]
public class AclCheckBenchmarks
{
    private ServiceCatalog _catalog = null!;
    private AclService _off = null!;
    private AclService _on = null!;
    private string _secret = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _catalog = await CatalogFactory.CreateAsync(1_000);
        _off = new AclService(new InMemoryAclStore(), Options.Create(new AclOptions()), TimeProvider.System, NullLogger<AclService>.Instance);
        _on = new AclService(new InMemoryAclStore(), Options.Create(new AclOptions { Enabled = true, DefaultPolicy = "deny" }), TimeProvider.System, NullLogger<AclService>.Instance);
        await _on.LoadAsync(CancellationToken.None);
        for (var i = 0; i < 50; i++)
            await _on.CreatePolicyAsync(new($"p{i}", Rules: "{\"service_prefix\":{\"team" + i + "-\":{\"policy\":\"write\"}}}"), CancellationToken.None);
        await _on.CreatePolicyAsync(new("reader", Rules: """{"service_prefix":{"":{"policy":"read"}},"service":{"svc-7":{"policy":"write"}}}"""), CancellationToken.None);
        for (var i = 0; i < 1_000; i++)
            await _on.CreateTokenAsync(new($"t{i}", [new AclPolicyLink(Name: $"p{i % 50}")]), CancellationToken.None);
        _secret = (await _on.CreateTokenAsync(new("bench", [new AclPolicyLink(Name: "reader"), new AclPolicyLink(Name: "p1")]), CancellationToken.None)).SecretId;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _off.Dispose();
        _on.Dispose();
    }

    [Benchmark(Baseline = true)]
    public byte[]? AclsOff() => _off.Resolve(_secret).ServiceRead("svc-7").IsAllowed ? _catalog.GetService("svc-7")!.ToJson(InstanceFilter.All) : null;

    [Benchmark]
    public byte[]? AclsOn() => _on.Resolve(_secret).ServiceRead("svc-7").IsAllowed ? _catalog.GetService("svc-7")!.ToJson(InstanceFilter.All) : null;

    [Benchmark]
    public bool ResolveAndCheckOnly() => _on.Resolve(_secret).ServiceRead("svc-7").IsAllowed;
}

using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// Per-call overhead of the full Switchboard pipeline (cached discovery + pick + Polly + headers) against a bare
/// <see cref="HttpClient"/> to the same loopback server, and against MESD <c>AddServiceDiscovery()</c> +
/// <c>AddStandardResilienceHandler()</c>, in one run.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private LoopbackServer _server = null!;
    private CallStacks _stacks = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _stacks = new CallStacks(_server.BaseUri);
        await _stacks.WarmAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _stacks.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public Task<string> BareHttpClient() => _stacks.BareAsync();

    [Benchmark]
    public Task<string?> SwitchboardPipeline() => _stacks.SwitchboardAsync();

    [Benchmark]
    public Task<string> ServiceDiscoveryPlusStandardResilience() => _stacks.StandardAsync();
}

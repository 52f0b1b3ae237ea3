using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// CPU and allocations of the client call pipeline alone: every stack sends to a <see cref="CannedResponseHandler"/>
/// instead of the network, so what remains is discovery, pick, Polly, headers and reading the answer.
/// Baseline: an <see cref="HttpClient"/> over the same handler.
/// </summary>
[MemoryDiagnoser]
public class PipelineOverheadBenchmarks
{
    private CallStacks _stacks = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _stacks = new CallStacks(new Uri("http://127.0.0.1:5000"), () => new CannedResponseHandler());
        await _stacks.WarmAsync();
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _stacks.DisposeAsync().AsTask();

    [Benchmark(Baseline = true)]
    public Task<string> BareHttpClient() => _stacks.BareAsync();

    [Benchmark]
    public Task<string?> SwitchboardPipeline() => _stacks.SwitchboardAsync();

    [Benchmark]
    public Task<string> ServiceDiscoveryPlusStandardResilience() => _stacks.StandardAsync();
}

using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// CPU and allocations of the client call pipeline alone: every stack sends to a <see cref="CannedResponseHandler"/>
/// instead of the network, so what remains is discovery, pick, Polly, headers and reading the answer.
/// Baseline: an <see cref="HttpClient"/> over the same handler.
/// </summary>
public class PipelineOverheadBenchmarks : CallStackBenchmarks
{
    [GlobalSetup]
    public async Task SetupAsync()
    {
        Stacks = new CallStacks(new Uri("http://127.0.0.1:5000"), () => new CannedResponseHandler());
        await Stacks.WarmAsync(calls: 20_000);
    }

    [GlobalCleanup]
    public Task CleanupAsync() => Stacks.DisposeAsync().AsTask();
}

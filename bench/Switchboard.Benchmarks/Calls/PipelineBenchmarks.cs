using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// Per-call overhead of the full Switchboard pipeline (cached discovery + pick + Polly + headers) against a bare
/// <see cref="HttpClient"/> to the same loopback server, and against MESD <c>AddServiceDiscovery()</c> +
/// <c>AddStandardResilienceHandler()</c>, in one run.
/// </summary>
public class PipelineBenchmarks : CallStackBenchmarks
{
    private LoopbackServer _server = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LoopbackServer.StartAsync();
        Stacks = new CallStacks(_server.BaseUri);
        await Stacks.WarmAsync(calls: 2_000);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await Stacks.DisposeAsync();
        await _server.DisposeAsync();
    }
}

using BenchmarkDotNet.Attributes;

namespace Switchboard.Benchmarks.Calls;

/// <summary>The three call stacks of <see cref="CallStacks"/> as benchmarks, the bare client the baseline; subclasses say what they call.</summary>
[MemoryDiagnoser]
public abstract class CallStackBenchmarks
{
    /// <summary>The stacks, built by the subclass's setup.</summary>
    private protected CallStacks Stacks { get; set; } = null!;

    [Benchmark(Baseline = true)]
    public Task<string> BareHttpClient() => Stacks.BareAsync();

    [Benchmark]
    public Task<string?> SwitchboardPipeline() => Stacks.SwitchboardAsync();

    [Benchmark]
    public Task<string> ServiceDiscoveryPlusStandardResilience() => Stacks.StandardAsync();
}

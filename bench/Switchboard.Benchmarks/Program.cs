using BenchmarkDotNet.Running;
using Switchboard.Benchmarks.Calls;

// `ratio`: the alternating throughput comparison of the call stacks; anything else goes to BenchmarkDotNet.
if (args is ["ratio", ..])
    return await CallRatioRunner.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

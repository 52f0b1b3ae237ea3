using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// Throughput of the <see cref="CallStacks"/> (bare, Switchboard, standard, bare with Switchboard's headers, and an
/// optional Switchboard variant) against one loopback server, measured in short rounds that alternate the stacks so
/// that drift on a shared machine hits all alike. Prints each stack's median calls/s, the median of the per-round
/// ratios to bare, and allocations, gen0 collections and GC pause time per call.
/// Usage: <c>dotnet run -c Release -- ratio [--rounds 15] [--seconds 1] [--callers 64] [--variant Key=Value ...]</c>,
/// <c>--no-network</c> answers from a handler instead of Kestrel;
/// each <c>--variant</c> sets one <c>Switchboard:Services:{service}</c> option of a fourth, Switchboard stack.
/// </summary>
internal static class CallRatioRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = Option(args, "--rounds", 15);
        var seconds = Option(args, "--seconds", 1);
        var callers = Option(args, "--callers", 64);
        if (rounds < 1 || seconds < 1 || callers < 1)
        {
            Console.Error.WriteLine("ratio: --rounds, --seconds and --callers must be positive integers");
            return 2;
        }

        var noNetwork = args.Contains("--no-network");
        await using var server = noNetwork ? null : await LoopbackServer.StartAsync();
        var variant = Variant(args);
        // Without the network every stack sends to a handler that answers after a thread-pool hop: what is left is
        // each stack's own CPU with every async layer really suspending and resuming, as under socket I/O.
        await using var stacks = noNetwork
            ? new CallStacks(new Uri("http://127.0.0.1:5000"), () => new CannedResponseHandler(asynchronous: true), variant)
            : new CallStacks(server!.BaseUri, variant: variant);
        var stackCalls = new List<(string Name, Func<Task> Call)>
        {
            ("bare HttpClient", stacks.BareAsync),
            ("Switchboard IServiceClient", stacks.SwitchboardAsync),
            ("MESD + standard resilience", stacks.StandardAsync),
            ("bare HttpClient + Switchboard's two headers", stacks.BareWithHeadersAsync),
        };
        if (variant.Count > 0)
            stackCalls.Add(($"Switchboard, {string.Join(", ", variant.Select(v => $"{v.Key}={v.Value}"))}", stacks.SwitchboardVariantAsync));

        var window = TimeSpan.FromSeconds(seconds);
        foreach (var (_, call) in stackCalls)
            await CallsPerSecondAsync(call, callers, window); // warm-up round: connections, caches, tiered JIT

        var rates = stackCalls.Select(_ => new List<double>()).ToArray();
        var bytes = stackCalls.Select(_ => new List<double>()).ToArray();
        var collections = stackCalls.Select(_ => new List<double>()).ToArray();
        var paused = stackCalls.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            // Each round starts with the next stack, so no stack always follows the same one (and its garbage).
            for (var k = 0; k < stackCalls.Count; k++)
            {
                var s = (round + k) % stackCalls.Count;
                var allocated = GC.GetTotalAllocatedBytes();
                var gen0 = GC.CollectionCount(0);
                var pause = GC.GetTotalPauseDuration();
                var (rate, calls) = await CallsPerSecondAsync(stackCalls[s].Call, callers, window);
                rates[s].Add(rate);
                bytes[s].Add((GC.GetTotalAllocatedBytes() - allocated) / (double)calls);
                collections[s].Add((GC.CollectionCount(0) - gen0) * 1000.0 / calls);
                paused[s].Add((GC.GetTotalPauseDuration() - pause) / window * 100);
            }
        }

        var target = server is null ? "a handler answering after a thread-pool hop (no network)" : $"an in-process Kestrel at {server.BaseUri}";
        Console.WriteLine($"{rounds} rounds x {seconds} s per stack, {callers} concurrent callers, GET /ping on {target}");
        Console.WriteLine("Allocations and gen0 collections are the whole process's (server included), per call, while the stack ran.");
        Console.WriteLine("| stack | median calls/s | median of per-round ratio to bare | allocated B/call | gen0 GCs per 1000 calls | time in GC pauses |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (var s = 0; s < stackCalls.Count; s++)
        {
            var ratio = Median(rates[s].Zip(rates[0], (x, bare) => x / bare));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stackCalls[s].Name} | {Median(rates[s]):F0} | {ratio:F2}x | {Median(bytes[s]):F0} | {Median(collections[s]):F2} | {Median(paused[s]):F1}% |"));
        }
        var vsStandard = Median(rates[1].Zip(rates[2], (sb, std) => sb / std));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Switchboard / standard stack, median of per-round ratios: {vsStandard:F2}x"));
        return 0;
    }

    /// <summary>The <c>--variant Key=Value</c> options: per-service settings of an extra Switchboard stack.</summary>
    private static Dictionary<string, string> Variant(string[] args)
    {
        var variant = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--variant" && args[i + 1].Split('=', 2) is [var key, var value] && key.Length > 0)
                variant[key] = value;
        }
        return variant;
    }

    private static async Task<(double, long)> CallsPerSecondAsync(Func<Task> call, int callers, TimeSpan window)
    {
        long calls = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < window)
            {
                await call();
                Interlocked.Increment(ref calls);
            }
        }));
        await Task.WhenAll(workers);
        return (calls / clock.Elapsed.TotalSeconds, calls);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : i >= 0 ? -1 : fallback;
    }
}

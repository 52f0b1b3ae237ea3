using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// Throughput of the three <see cref="CallStacks"/> against one loopback server, measured in short rounds that
/// alternate the stacks (bare, Switchboard, standard, bare, ...) so that drift on a shared machine hits all three
/// alike. Prints each stack's median calls/s and the median of the per-round ratios to bare.
/// Usage: <c>dotnet run -c Release -- ratio [--rounds 15] [--seconds 1] [--callers 64]</c>.
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

        await using var server = await LoopbackServer.StartAsync();
        await using var stacks = new CallStacks(server.BaseUri);
        await stacks.WarmAsync();
        var stackCalls = new (string Name, Func<Task> Call)[]
        {
            ("bare HttpClient", stacks.BareAsync),
            ("Switchboard IServiceClient", stacks.SwitchboardAsync),
            ("MESD + standard resilience", stacks.StandardAsync),
        };
        var rates = stackCalls.Select(_ => new List<double>()).ToArray();
        var window = TimeSpan.FromSeconds(seconds);
        for (var round = 0; round < rounds; round++)
        {
            for (var s = 0; s < stackCalls.Length; s++)
                rates[s].Add(await CallsPerSecondAsync(stackCalls[s].Call, callers, window));
        }

        Console.WriteLine($"{rounds} rounds x {seconds} s per stack, {callers} concurrent callers, GET /ping on an in-process Kestrel at {server.BaseUri}");
        Console.WriteLine("| stack | median calls/s | median of per-round ratio to bare |");
        Console.WriteLine("|---|---:|---:|");
        for (var s = 0; s < stackCalls.Length; s++)
        {
            var ratio = Median(rates[s].Zip(rates[0], (x, bare) => x / bare));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stackCalls[s].Name} | {Median(rates[s]):F0} | {ratio:F2}x |"));
        }
        var vsStandard = Median(rates[1].Zip(rates[2], (sb, std) => sb / std));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Switchboard / standard stack, median of per-round ratios: {vsStandard:F2}x"));
        return 0;
    }

    private static async Task<double> CallsPerSecondAsync(Func<Task> call, int callers, TimeSpan window)
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
        return calls / clock.Elapsed.TotalSeconds;
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

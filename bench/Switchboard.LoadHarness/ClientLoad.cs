using System.Diagnostics;

namespace Switchboard.LoadHarness;

/// <summary>Drives an in-process client stack with a fixed number of concurrent callers for a fixed time.</summary>
internal static class ClientLoad
{
    public sealed record Outcome(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Failures, long Calls);

    /// <summary>What one run of callers saw: every call's latency, the failed calls, and how long the run took.</summary>
    public sealed record Sample(List<double> LatenciesMs, long Failures, TimeSpan Elapsed);

    /// <summary>Runs <paramref name="call"/> from <paramref name="concurrency"/> loops for <paramref name="duration"/>; the call returns false for a failed call.</summary>
    public static async Task<Outcome> RunAsync(string name, Func<Task<bool>> call, TimeSpan duration, int concurrency = 64) =>
        Summarize(name, [await MeasureAsync(call, duration, concurrency)]);

    /// <summary>One run of <paramref name="concurrency"/> callers for <paramref name="duration"/>.</summary>
    public static async Task<Sample> MeasureAsync(Func<Task<bool>> call, TimeSpan duration, int concurrency = 64)
    {
        var latencies = new List<double>[concurrency];
        long failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                var start = clock.Elapsed;
                bool ok;
                try
                {
                    ok = await call();
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }
                catch (TaskCanceledException)
                {
                    ok = false;
                }
                mine.Add((clock.Elapsed - start).TotalMilliseconds);
                if (!ok)
                    Interlocked.Increment(ref failures);
            }
        }));
        return new Sample([.. latencies.SelectMany(l => l)], failures, clock.Elapsed);
    }

    /// <summary>The rate and latency percentiles over several runs of the same stack, as if they were one.</summary>
    public static Outcome Summarize(string name, IReadOnlyCollection<Sample> samples)
    {
        var all = samples.SelectMany(s => s.LatenciesMs).Order().ToList();
        var seconds = samples.Sum(s => s.Elapsed.TotalSeconds);
        return new Outcome(name, all.Count / seconds, Pick(all, 0.50), Pick(all, 0.99), samples.Sum(s => s.Failures), all.Count);
    }

    private static double Pick(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}

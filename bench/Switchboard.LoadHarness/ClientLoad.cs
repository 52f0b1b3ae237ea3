using System.Diagnostics;

namespace Switchboard.LoadHarness;

/// <summary>Drives an in-process client stack with a fixed number of concurrent callers for a fixed time.</summary>
internal static class ClientLoad
{
    public sealed record Outcome(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Failures, long Calls);

    /// <summary>Runs <paramref name="call"/> from <paramref name="concurrency"/> loops for <paramref name="duration"/>; the call returns false for a failed call.</summary>
    public static async Task<Outcome> RunAsync(string name, Func<Task<bool>> call, TimeSpan duration, int concurrency = 64)
    {
        var latencies = new List<double>[concurrency];
        long failures = 0;
        var clock = Stopwatch.StartNew();
        var stopAt = duration;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            while (clock.Elapsed < stopAt)
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
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Outcome(name, all.Count / clock.Elapsed.TotalSeconds, Pick(all, 0.50), Pick(all, 0.99), failures, all.Count);
    }

    private static double Pick(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.LoadHarness;

/// <summary>One wrk run's figures.</summary>
internal sealed record WrkResult(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Non2xx, long Errors)
{
    /// <summary>Non-2xx answers plus socket errors.</summary>
    public long Failures => Non2xx + Errors;

    /// <summary>Several runs of one target as one: mean rate and percentiles, summed failures.</summary>
    public static WrkResult Mean(IReadOnlyList<WrkResult> runs) => new(runs[0].Name, runs.Average(r => r.RequestsPerSecond),
        runs.Average(r => r.P50Ms), runs.Average(r => r.P99Ms), runs.Sum(r => r.Non2xx), runs.Sum(r => r.Errors));
}

/// <summary>Runs wrk (Debian's package) against a loopback URL and parses its --latency output.</summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(string name, Uri url, TimeSpan duration, int connections = 64, int threads = 2, string? luaScript = null)
    {
        if (!url.IsLoopback)
            throw new InvalidOperationException($"refusing to load {url}: the harness only targets loopback");
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { $"-t{threads}", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "--timeout", "10s" })
            info.ArgumentList.Add(a);
        if (luaScript is not null)
        {
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add(luaScript);
        }
        info.ArgumentList.Add(url.ToString());
        var process = PeerProcesses.Start(info);
        string output;
        try
        {
            var errors = process.StandardError.ReadToEndAsync();
            output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"wrk failed: {await errors}");
        }
        finally
        {
            PeerProcesses.Stop(process);
        }
        return new WrkResult(name,
            Number(RequestsPerSec().Match(output)),
            Millis(Percentile50().Match(output)),
            Millis(Percentile99().Match(output)),
            Non2xx().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            SocketErrors().Match(output) is { Success: true } e ? e.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0);
    }

    /// <summary>A warm-up run of the settings' warm-up length (none when it is zero); its figures are dropped.</summary>
    public static async Task WarmUpAsync(HarnessSettings settings, Uri url, string? luaScript = null)
    {
        if (settings.WarmsUp)
            await RunAsync("warmup", url, settings.Warmup, luaScript: luaScript);
    }

    private static double Number(Match m) => m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    private static double Millis(Match m)
    {
        if (!m.Success)
            return double.NaN;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, _ => value * 60_000 };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSec();

    [GeneratedRegex(@"\s50%\s+([\d.]+)(us|ms|s|m)")]
    private static partial Regex Percentile50();

    [GeneratedRegex(@"\s99%\s+([\d.]+)(us|ms|s|m)")]
    private static partial Regex Percentile99();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}

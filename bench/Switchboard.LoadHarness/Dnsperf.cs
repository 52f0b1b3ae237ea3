using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchboard.LoadHarness;

/// <summary>One dnsperf run (Debian's dnsperf) and what it reported.</summary>
internal sealed partial record DnsperfResult(string Name, double QueriesPerSecond, double AverageLatencyMs, long Lost, long Completed)
{
    /// <summary>The mean of several runs of one server.</summary>
    public static DnsperfResult Mean(IReadOnlyList<DnsperfResult> runs)
        => new(runs[0].Name, runs.Average(r => r.QueriesPerSecond), runs.Average(r => r.AverageLatencyMs), runs.Sum(r => r.Lost), runs.Sum(r => r.Completed));

    /// <summary>
    /// <c>dnsperf -s 127.0.0.1 -p PORT -d QUERIES -l SECONDS -c 4 -q 200</c>: 4 client sockets, at most 200 queries
    /// outstanding, the query file read in a loop for the whole duration.
    /// </summary>
    public static async Task<DnsperfResult> RunAsync(string name, int port, string queryFile, TimeSpan duration)
    {
        var info = new ProcessStartInfo("dnsperf") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-s", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-d", queryFile,
            "-l", ((int)Math.Max(1, duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture), "-c", "4", "-q", "200", "-t", "2" })
            info.ArgumentList.Add(a);
        var process = PeerProcesses.Start(info);
        var stderr = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        PeerProcesses.Stop(process);
        var qps = Number(RateLine(), output);
        if (double.IsNaN(qps))
            throw new InvalidOperationException($"dnsperf against {name} printed no rate:\n{output}\n{await stderr}");
        return new DnsperfResult(name, qps, Number(LatencyLine(), output) * 1000, (long)Number(LostLine(), output), (long)Number(CompletedLine(), output));
    }

    /// <summary>The Debian package's version of dnsperf, e.g. 2.11.1-1.</summary>
    public static string Version() => Tools.FirstLine("dpkg-query", "-W -f=${Version} dnsperf");

    private static double Number(Regex pattern, string text)
        => pattern.Match(text) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

    [GeneratedRegex(@"Queries per second:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Average Latency \(s\):\s+([\d.]+)")]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"Queries lost:\s+(\d+)")]
    private static partial Regex LostLine();

    [GeneratedRegex(@"Queries completed:\s+(\d+)")]
    private static partial Regex CompletedLine();
}

/// <summary>dnsmasq (Debian's dnsmasq-base) as a child process serving a static hosts file on a loopback port: the DNS peer.</summary>
internal sealed class Dnsmasq : IDisposable
{
    private readonly Process _process;

    private Dnsmasq(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// Starts dnsmasq in the foreground on 127.0.0.1 answering only from <paramref name="hostsFile"/> (no upstream, no
    /// /etc/hosts, no configuration file, no cache of anything else), authoritative-style for <c>consul</c>.
    /// </summary>
    public static async Task<Dnsmasq> StartAsync(string hostsFile, string probeName)
    {
        var port = PeerProcesses.FreePort();
        var info = new ProcessStartInfo(Tools.Resolve("dnsmasq")) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--keep-in-foreground", $"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
            "--conf-file=/dev/null", $"--addn-hosts={hostsFile}", "--local=/consul/", "--pid-file=", $"--user={Environment.UserName}" })
            info.ArgumentList.Add(a);
        var process = PeerProcesses.Start(info);
        var dnsmasq = new Dnsmasq(process, port);
        if (await PeerProcesses.UntilAsync(async () => await DigAsync(port, probeName)))
            return dnsmasq;
        dnsmasq.Dispose();
        throw new InvalidOperationException($"dnsmasq did not start: {await process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>Whether the server on <paramref name="port"/> answers <paramref name="name"/> with an address (<c>dig +short</c>).</summary>
    public static async Task<bool> DigAsync(int port, string name)
    {
        var info = new ProcessStartInfo("dig") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "@127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), name, "+short", "+tries=1", "+time=1" })
            info.ArgumentList.Add(a);
        using var dig = Process.Start(info)!;
        var output = await dig.StandardOutput.ReadToEndAsync();
        await dig.WaitForExitAsync();
        return output.Trim().Length > 0;
    }

    /// <summary>The version dnsmasq reports, e.g. 2.89.</summary>
    public static string Version() => Tools.FirstLine(Tools.Resolve("dnsmasq"), "--version").Replace("Dnsmasq version ", "", StringComparison.Ordinal).Split(' ')[0];

    public void Dispose() => PeerProcesses.Stop(_process);
}

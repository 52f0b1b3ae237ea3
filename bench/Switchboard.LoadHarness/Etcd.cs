using System.Diagnostics;
using System.Text;

namespace Switchboard.LoadHarness;

/// <summary>etcd 3.4 (Debian's etcd-server) on loopback, serving the same records through its JSON gateway.</summary>
internal sealed class Etcd : IDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;

    private Etcd(Process process, string dataDir, Uri address)
    {
        _process = process;
        _dataDir = dataDir;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts etcd with its data in <paramref name="dataDir"/> (deleted on dispose).</summary>
    public static async Task<Etcd> StartAsync(string dataDir)
    {
        var client = PeerProcesses.FreePort();
        var peer = PeerProcesses.FreePort();
        var info = new ProcessStartInfo("etcd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--data-dir", dataDir, "--listen-client-urls", $"http://127.0.0.1:{client}", "--advertise-client-urls", $"http://127.0.0.1:{client}",
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}", "--initial-cluster", $"default=http://127.0.0.1:{peer}", "--log-level", "error" })
            info.ArgumentList.Add(a);
        var process = PeerProcesses.Start(info);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var etcd = new Etcd(process, dataDir, new Uri($"http://127.0.0.1:{client}"));
        if (await PeerProcesses.AnswersAsync(new Uri(etcd.Address, "/health")))
            return etcd;
        etcd.Dispose();
        throw new InvalidOperationException("etcd did not become healthy");
    }

    public async Task PutAsync(HttpClient http, string key, string value)
    {
        var body = $$"""{"key":"{{B64(key)}}","value":"{{B64(value)}}"}""";
        using var response = await http.PostAsync(new Uri(Address, "/v3/kv/put"), new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The body of a range query over every key under <paramref name="prefix"/>.</summary>
    public static string RangeBody(string prefix)
    {
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        return $$"""{"key":"{{B64(prefix)}}","range_end":"{{B64(end)}}"}""";
    }

    public static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    /// <summary>The version etcd reports, e.g. 3.4.23.</summary>
    public static string Version() => Tools.FirstLine("etcd", "--version").Replace("etcd Version: ", "", StringComparison.Ordinal);

    public void Dispose()
    {
        PeerProcesses.Stop(_process);
        if (Directory.Exists(_dataDir))
            Directory.Delete(_dataDir, true);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Cli.Tests.Telemetry;

/// <summary>
/// Debian's real <c>prometheus</c> on a free loopback port, with its own configuration and data directory in a temporary
/// folder, scraping one target every second; killed (and its folder removed) on disposal. The package's own service, if
/// one runs, is never used.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly Lock _gate = new();
    private readonly System.Text.StringBuilder _output = new();

    private PrometheusServer(Process process, string folder, Uri baseUri)
    {
        _process = process;
        _folder = folder;
        Client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>An HTTP client on Prometheus' API.</summary>
    public HttpClient Client { get; }

    /// <summary>What it printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
                return _output.ToString();
        }
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (<c>host:port</c>) on <paramref name="metricsPath"/> and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string target, string metricsPath = "/metrics")
    {
        var folder = Directory.CreateTempSubdirectory("sb-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: switchboard
                metrics_path: {metricsPath}
                static_configs:
                  - targets: ['{target}']
            """);
        var port = Ports.Free();
        var info = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--log.level=warn",
        })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start");
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.UntilAsync(server.ReadyAsync, ready => ready || process.HasExited, "prometheus to be ready");
            if (process.HasExited)
                throw new InvalidOperationException($"prometheus exited with {process.ExitCode}:\n{server.Output}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>The value of every series <paramref name="promQl"/> answers now, by the labels that tell them apart.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promQl)
    {
        var answer = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(promQl)}");
        Assert.Equal("success", answer.GetProperty("status").GetString());
        return [.. answer.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The one value <paramref name="promQl"/> answers now; null when it answers no series.</summary>
    public async Task<double?> ValueAsync(string promQl)
        => await QueryAsync(promQl) is [var only] ? only.Value : null;

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await Client.GetAsync("/-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
            _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await ProcessTree.KillAsync(_process);
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by the dying process: the temp folder is cleaned by the system later
        }
    }
}
